package dev.recordings.transcript;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** POST …/{id}/speakers/: renames and merges across the whole transcript, the body rules, and appends racing it. */
@QuarkusTest
class SpeakerRenameTest {

    @TestHTTPResource("/")
    URI root;

    private Api.Tenant tenant;
    private String recording;

    @BeforeEach
    void recordingWithTwoSpeakers() {
        tenant = Api.writer();
        recording = tenant.createRecording("{\"participants\": [\"Ann\", \"Bob\", \"Cy\"]}");
        // 40 segments: three chunks; Ann, Bob, no speaker and a blank one in turn
        String[] speakers = { "\"Ann\"", "\"Bob\"", "null", "\" \"" };
        append(IntStream.range(0, 40).mapToObj(i -> "{\"timestamp\": " + i + ", \"speaker\": " + speakers[i % 4]
                + ", \"text\": \"words " + i + "\"}").collect(Collectors.joining(",", "[", "]")));
    }

    private void append(String segments) {
        tenant.request().header("Prefer", "return=minimal").body("{\"segments\": " + segments + "}")
                .post(tenant.recordings() + recording + "/append_segments/").then().statusCode(200);
    }

    private String speakers() {
        return tenant.recordings() + recording + "/speakers/";
    }

    private JsonPath stored() {
        return tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aRenameReachesEverySegmentAndTheParticipants() {
        JsonPath before = stored();
        tenant.request().body("{\"from\": \" Ann \", \"to\": \"Ann Lee\"}").post(speakers()).then().statusCode(200)
                .body("id", is(recording)).body("renamed", is(10))
                .body("participants", is(List.of("Ann Lee", "Bob", "Cy")));
        JsonPath after = stored();
        List<String> names = after.getList("transcript_segments.speaker");
        for (int i = 0; i < 40; i++) {
            Object expected = before.getList("transcript_segments.speaker").get(i);
            assertEquals(i % 4 == 0 ? "Ann Lee" : expected, names.get(i), "segment " + i);
        }
        assertEquals(before.getString("transcript_text"), after.getString("transcript_text"));
        assertEquals(List.of("Ann Lee", "Bob", "Cy"), after.getList("participants"));
        assertNotEquals(before.getString("updated_at"), after.getString("updated_at"));
    }

    @Test
    void aMergeKeepsTheNameOnceInTheParticipants() {
        tenant.request().body("{\"from\": \"Bob\", \"to\": \"Ann\"}").post(speakers()).then().statusCode(200)
                .body("renamed", is(10)).body("participants", is(List.of("Ann", "Cy")));
        assertEquals(20, stored().getList("transcript_segments.speaker").stream().filter("Ann"::equals).count());
    }

    @Test
    void fromNullNamesTheSegmentsWithoutASpeaker() {
        tenant.request().body("{\"from\": null, \"to\": \"Guest\"}").post(speakers()).then().statusCode(200)
                .body("renamed", is(20)).body("participants", is(List.of("Ann", "Bob", "Cy")));
        List<String> names = stored().getList("transcript_segments.speaker");
        assertEquals(20, names.stream().filter("Guest"::equals).count());
        assertTrue(names.stream().noneMatch(name -> name == null || name.isBlank()));
        // a blank from is null too, and now renames nothing
        tenant.request().body("{\"from\": \"  \", \"to\": \"Guest\"}").post(speakers()).then().statusCode(200)
                .body("renamed", is(0));
    }

    @Test
    void renamingNobodyIsA200WithZero() {
        tenant.request().body("{\"from\": \"Zed\", \"to\": \"Zoe\"}").post(speakers()).then().statusCode(200)
                .body("renamed", is(0)).body("participants", is(List.of("Ann", "Bob", "Cy")));
    }

    @Test
    void theBodyRulesAndTheRecordingFirst() {
        tenant.request().body("{\"to\": \"X\"}").post(speakers()).then().statusCode(400)
                .body("code", is("required")).body("attr", is("from"));
        tenant.request().body("{\"from\": \"Ann\"}").post(speakers()).then().statusCode(400)
                .body("code", is("required")).body("attr", is("to"));
        tenant.request().body("{\"from\": \"Ann\", \"to\": \" \"}").post(speakers()).then().statusCode(400)
                .body("code", is("blank")).body("attr", is("to"));
        tenant.request().body("{\"from\": \"Ann\", \"to\": \"" + "x".repeat(256) + "\"}").post(speakers()).then()
                .statusCode(400).body("code", is("max_length")).body("attr", is("to"));
        tenant.request().body("{\"from\": 7, \"to\": \"X\"}").post(speakers()).then().statusCode(400)
                .body("code", is("invalid_input")).body("attr", is("from"));
        tenant.request().body("{\"to\": \"X\"}")
                .post(tenant.recordings() + "01900000-0000-7000-8000-000000000000/speakers/").then().statusCode(404);
        assertEquals("Ann", stored().getList("transcript_segments.speaker").get(0), "nothing changed");
        // a rename writes: a read key is refused before anything else is looked at
        Api.tenant("desktop_recording:read").request().body("{\"from\": \"Ann\", \"to\": \"X\"}")
                .post(speakers()).then().statusCode(403);
    }

    /**
     * Appends racing a rename: nothing is lost, and the rename is one point in the append order. Every batch is
     * renamed whole or not at all (batches of three cross chunk boundaries), no renamed segment follows an Ann, and
     * the answer counts exactly the segments it renamed.
     */
    @Test
    void appendsRacingARenameLoseNothingAndTheRenameIsAtomic() throws Exception {
        int batches = 40;
        int rename = batches / 3;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        var pool = Executors.newFixedThreadPool(batches + 1);
        for (int b = 0; b <= batches; b++) {
            String path = b == rename ? speakers() : tenant.recordings() + recording + "/append_segments/";
            int batch = b;
            String body = b == rename ? "{\"from\": \"Ann\", \"to\": \"Renamed\"}"
                    : IntStream.range(0, 3).mapToObj(s -> "{\"timestamp\": " + (1_000 + batch * 3 + s)
                            + ", \"speaker\": \"Ann\", \"text\": \"race " + batch + "\"}")
                            .collect(Collectors.joining(",", "{\"segments\": [", "]}"));
            HttpRequest request = HttpRequest.newBuilder(root.resolve(path))
                    .header("Authorization", "Bearer " + tenant.key()).header("Content-Type", "application/json")
                    .header("Prefer", "return=minimal").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        start.countDown();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals(200, answer.get().statusCode(), answer.get().body());
        }
        pool.shutdown();
        int renamed = JsonPath.from(answers.get(rename).get().body()).getInt("renamed");

        List<Map<String, Object>> segments = stored().getList("transcript_segments");
        assertEquals(40 + 3 * batches, segments.size(), "every appended segment stored");
        Map<Object, List<Object>> speakersByBatch = segments.subList(40, segments.size()).stream().collect(
                Collectors.groupingBy(segment -> segment.get("text"),
                        Collectors.mapping(segment -> segment.get("speaker"), Collectors.toList())));
        speakersByBatch.forEach((batch, speakers) -> assertEquals(1, speakers.stream().distinct().count(),
                batch + " renamed in part: " + speakers));
        List<Object> speakers = segments.stream().map(segment -> segment.get("speaker")).toList();
        assertEquals(renamed, speakers.stream().filter("Renamed"::equals).count(), "the answer's count");
        assertTrue(renamed >= 10, "the Anns stored before the rename are renamed");
        int firstAnn = speakers.indexOf("Ann");
        assertTrue(firstAnn < 0 || firstAnn > speakers.lastIndexOf("Renamed"), "an Ann before a renamed segment");
    }
}
