package dev.recordings.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The full answer (an append without {@code return=minimal}, a read) takes a recording's closed chunks from the
 * replica's cache: it is byte for byte the answer of the uncached path (a list page, which never uses the cache)
 * after every kind of write that rewrites a closed chunk. The cache is only checked against the database, never
 * told of writes, so a write through the same replica tests what a write through another one would.
 */
@QuarkusTest
class TranscriptCacheTest {

    private Api.Tenant tenant;
    private String recording;
    private final List<String> expected = new ArrayList<>();

    @BeforeEach
    void createRecording() {
        tenant = Api.writer();
        recording = tenant.createRecording("{\"participants\": [\"Ana\"]}");
    }

    private static String segment(String id, String speaker, String text) {
        return "{\"id\": \"" + id + "\", \"speaker\": \"" + speaker + "\", \"text\": \"" + text + "\"}";
    }

    /** Appends segments s{from} … s{to-1} and answers the full answer's body. */
    private String appendFull(int from, int to) {
        String batch = IntStream.range(from, to).mapToObj(i -> segment("s" + i, "Ana", "word " + i))
                .collect(Collectors.joining(",", "[", "]"));
        IntStream.range(from, to).forEach(i -> expected.add("word " + i));
        return tenant.append(recording, batch, false).statusCode(200).extract().asString();
    }

    /** The recording as the list writes it, from a path that never uses the cache. */
    private String uncached() {
        String page = tenant.request().get(tenant.recordings()).then().statusCode(200).extract().asString();
        String opening = "\"results\":[";
        return page.substring(page.indexOf(opening) + opening.length(), page.length() - 2);
    }

    private String read() {
        return tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200).extract()
                .asString();
    }

    private void assertAnswers(String answer) {
        assertEquals(uncached(), answer);
        JsonPath json = JsonPath.from(answer);
        assertEquals(expected, json.getList("transcript_segments.text"));
        assertEquals(String.join(" ", expected), json.getString("transcript_text"));
    }

    private static double cacheReads(String result) {
        return Metrics.value("recordings_transcript_cache_reads_total{result=\"" + result + "\"}");
    }

    @Test
    void fullAnswersAcrossChunkBoundariesAreTheUncachedAnswerAndUseTheCache() {
        double hitsBefore = cacheReads("hit");
        int position = 0;
        for (int size : new int[] { 7, 3, 16, 1, 9, 15, 40, 2 }) {
            assertAnswers(appendFull(position, position + size));
            position += size;
        }
        assertAnswers(read());
        assertTrue(cacheReads("hit") >= hitsBefore + 6, "later answers took the closed chunks from the cache");
    }

    @Test
    void aReplacementInAClosedChunkIsAnsweredAtOnce() {
        appendFull(0, 40);
        assertAnswers(read());
        // segment s3 lives in chunk 0, closed and cached
        tenant.appendMinimal(recording, "[" + segment("s3", "Ana", "replaced three") + "]").statusCode(200);
        expected.set(3, "replaced three");
        assertAnswers(read());
        assertAnswers(appendFull(40, 41));
    }

    @Test
    void aSpeakerRenameIsAnsweredAtOnce() {
        appendFull(0, 40);
        assertAnswers(read());
        tenant.request().body("{\"from\": \"Ana\", \"to\": \"Bea\"}")
                .post(tenant.recordings() + recording + "/speakers/").then().statusCode(200);
        String answer = appendFull(40, 42);
        assertAnswers(answer);
        List<String> speakers = JsonPath.from(answer).getList("transcript_segments.speaker");
        assertEquals(42, speakers.size());
        assertEquals(40, speakers.stream().filter("Bea"::equals).count(), "the renamed ones, not the two after");
    }

    @Test
    void aReplacementOfTheWholeTranscriptIsAnsweredAtOnce() {
        appendFull(0, 40);
        assertAnswers(read());
        String answer = tenant.request().body("{\"transcript_segments\": [" + segment("n0", "Cy", "new zero") + ","
                + segment("n1", "Cy", "new one") + "]}").patch(tenant.recordings() + recording + "/")
                .then().statusCode(200).extract().asString();
        expected.clear();
        expected.addAll(List.of("new zero", "new one"));
        assertAnswers(answer);
        assertAnswers(read());
        // the same count of closed chunks again, other bytes
        answer = tenant.request().body("{\"transcript_segments\": " + IntStream.range(0, 40)
                .mapToObj(i -> segment("m" + i, "Cy", "other " + i)).collect(Collectors.joining(",", "[", "]"))
                + "}").patch(tenant.recordings() + recording + "/").then().statusCode(200).extract().asString();
        expected.clear();
        IntStream.range(0, 40).forEach(i -> expected.add("other " + i));
        assertAnswers(answer);
        assertAnswers(read());
    }

    @Test
    void aDeletedRecordingIsNotFound() {
        appendFull(0, 40);
        assertAnswers(read());
        tenant.request().delete(tenant.recordings() + recording + "/").then().statusCode(204);
        tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(404);
        tenant.append(recording, "[" + segment("x", "Ana", "late") + "]", false).statusCode(404);
    }
}
