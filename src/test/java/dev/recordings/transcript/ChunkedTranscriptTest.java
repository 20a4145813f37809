package dev.recordings.transcript;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * Transcripts longer than one chunk: order, text, the merge rules against old chunks, search across chunk
 * boundaries, and replacing the whole list.
 */
@QuarkusTest
class ChunkedTranscriptTest {

    /** Segments per chunk: transcript_chunk_size() of the migrations. */
    static final int CHUNK = 16;

    private Api.Tenant tenant;
    private String recording;

    @BeforeEach
    void createRecording() {
        tenant = Api.writer();
        recording = tenant.createRecording();
    }

    private ValidatableResponse appendMinimal(String segments) {
        return tenant.appendMinimal(recording, segments).statusCode(200);
    }

    private JsonPath stored() {
        return tenant.read(recording);
    }

    private static String segments(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "{\"timestamp\": " + i * 10 + ", \"text\": \"word" + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    /** Appends positions 0 … count-1 in batches of the given sizes, cycling. */
    private void fill(int count, int... batchSizes) {
        int position = 0;
        for (int b = 0; position < count; b++) {
            int end = Math.min(count, position + batchSizes[b % batchSizes.length]);
            appendMinimal(segments(position, end)).body("appended", is(end - position));
            position = end;
        }
    }

    private static List<String> words(int count) {
        return IntStream.range(0, count).mapToObj(i -> "word" + i).toList();
    }

    @Test
    void aTranscriptAcrossManyChunksKeepsItsOrderAndText() {
        // batches of 7 and 3 cross chunk boundaries mid-batch; the last batch of 120 opens several chunks at once
        fill(180, 7, 3);
        appendMinimal(segments(180, 300)).body("appended", is(120)).body("segment_count", is(300));

        JsonPath transcript = stored();
        assertEquals(words(300), transcript.getList("transcript_segments.text"));
        assertEquals(String.join(" ", words(300)), transcript.getString("transcript_text"));
        assertEquals(IntStream.range(0, 300).map(i -> i * 10).boxed().toList(),
                transcript.getList("transcript_segments.timestamp", Integer.class));
    }

    @Test
    void aRetryOfASegmentStoredChunksAgoIsDropped() {
        fill(230, 10);
        appendMinimal("[{\"timestamp\": 30, \"text\": \"word3\"}, {\"timestamp\": 30.0, \"text\": \"word3\"},"
                + " {\"timestamp\": 30, \"text\": \"new at an old time\"}]")
                .body("dropped", is(2)).body("appended", is(1)).body("segment_count", is(231));
        assertEquals("new at an old time", stored().getList("transcript_segments.text").get(230));
    }

    @Test
    void anIdReplacedInAnOldChunkKeepsItsPositionAndTheTextFollows() {
        appendMinimal(segments(0, 5));
        appendMinimal("[{\"id\": \"u-1\", \"timestamp\": 50, \"text\": \"interim\", \"is_final\": false}]");
        appendMinimal(segments(6, 160));

        appendMinimal("[{\"id\": \"u-1\", \"timestamp\": 50, \"text\": \"final words\", \"is_final\": true},"
                + " {\"timestamp\": 1600, \"text\": \"tail\"}]")
                .body("replaced", is(1)).body("appended", is(1)).body("segment_count", is(161));

        JsonPath transcript = stored();
        List<Map<String, Object>> segments = transcript.getList("transcript_segments");
        assertEquals(161, segments.size());
        assertEquals("final words", segments.get(5).get("text"));
        assertEquals(true, segments.get(5).get("is_final"));
        assertEquals("u-1", segments.get(5).get("id"));
        assertEquals("tail", segments.get(160).get("text"));
        assertEquals(transcript.getList("transcript_segments.text").stream().map(Object::toString)
                .collect(Collectors.joining(" ")), transcript.getString("transcript_text"));
        // the replaced version is what a retry is judged against now
        appendMinimal("[{\"timestamp\": 50, \"text\": \"final words\"}, {\"timestamp\": 50, \"text\": \"interim\"}]")
                .body("dropped", is(1)).body("appended", is(1));
    }

    @Test
    void searchFindsAPhraseAcrossAChunkBoundary() {
        fill(100, 25);
        // "word15 word16" spans chunk 0 (positions 0-15) and chunk 1; word41 … word50 spans chunks 2 and 3
        assertEquals(List.of(recording), search("WORD15 word1"));
        assertEquals(List.of(recording), search(String.join(" ", words(50).subList(41, 50)) + " word50"));
        // longer than what one chunk repeats of the previous one: looked up by its start, checked on the whole text
        String longPhrase = String.join(" ", words(100).subList(20, 70));
        assertEquals(List.of(recording), search(longPhrase));
        assertEquals(List.of(), search(longPhrase + " nothing"));
        assertEquals(List.of(recording), search("d9"));
        // into the open chunk (positions 96-99), which the index leaves out until it is full
        assertEquals(List.of(recording), search("word95 word96 word97"));
        assertEquals(List.of(recording), search("word99"));
        assertEquals(List.of(), search("word49  word50"));
        assertEquals(List.of(), search("50%"));
    }

    @Test
    void searchFollowsAReplacementInAnOldChunk() {
        int last = CHUNK - 1;
        appendMinimal(segments(0, last));
        appendMinimal("[{\"id\": \"tail-of-chunk\", \"timestamp\": 1, \"text\": \"draft\"}]");
        // two short chunks after it: the phrase below reaches from the last segment of chunk 0 into chunk 3
        appendMinimal(IntStream.range(0, 2 * CHUNK + 1).mapToObj(i -> "{\"timestamp\": 2, \"text\": \"x" + i + "\"}")
                .collect(Collectors.joining(",", "[", "]")));
        String after = IntStream.range(0, 2 * CHUNK + 1).mapToObj(i -> "x" + i).collect(Collectors.joining(" "));
        assertEquals(List.of(recording), search("draft " + after));

        appendMinimal("[{\"id\": \"tail-of-chunk\", \"timestamp\": 1, \"text\": \"budget review\"}]")
                .body("replaced", is(1));
        assertEquals(List.of(), search("draft " + after));
        assertEquals(List.of(recording), search("budget review " + after));
        assertEquals(List.of(recording), search("review " + after.substring(0, 60)));
    }

    @Test
    void replacingTheWholeListRechunksIt() {
        fill(120, 40);
        List<String> replacement = new ArrayList<>();
        for (int i = 0; i < 75; i++) {
            replacement.add("{\"id\": \"r" + i + "\", \"timestamp\": " + i + ", \"text\": \"new" + i + "\"}");
        }
        tenant.request().body("{\"transcript_segments\": [" + String.join(",", replacement) + "]}")
                .patch(tenant.recordings() + recording + "/").then().statusCode(200)
                .body("transcript_segments.size()", is(75))
                .body("transcript_text", is(IntStream.range(0, 75).mapToObj(i -> "new" + i)
                        .collect(Collectors.joining(" "))));

        // the merge works against the new list only: old segments are gone, new ids replace in place
        appendMinimal("[{\"timestamp\": 30, \"text\": \"word3\"}, {\"timestamp\": 3, \"text\": \"new3\"},"
                + " {\"id\": \"r60\", \"timestamp\": 60, \"text\": \"sixty\"}]")
                .body("appended", is(1)).body("dropped", is(1)).body("replaced", is(1)).body("segment_count", is(76));
        JsonPath transcript = stored();
        assertEquals("sixty", transcript.getList("transcript_segments.text").get(60));
        assertEquals("word3", transcript.getList("transcript_segments.text").get(75));
        assertEquals(List.of(), search("word119"));
        assertEquals(List.of(recording), search("new49 new50"));

        tenant.request().body("{\"platform\": \"zoom\", \"transcript_segments\": []}")
                .put(tenant.recordings() + recording + "/").then().statusCode(200)
                .body("transcript_segments.size()", is(0)).body("transcript_text", is(""));
        appendMinimal("[{\"timestamp\": 3, \"text\": \"new3\"}]").body("appended", is(1)).body("segment_count", is(1));
    }

    @Test
    void replacingTheListOfAnUnknownRecordingIsNotFound() {
        tenant.request().body("{\"transcript_segments\": [{\"text\": \"x\"}]}")
                .patch(tenant.recordings() + java.util.UUID.randomUUID() + "/").then().statusCode(404)
                .body("code", is("not_found"));
    }

    private List<String> search(String text) {
        return tenant.request().queryParam("search", text).get(tenant.recordings()).then().statusCode(200)
                .extract().jsonPath().getList("results.id");
    }
}
