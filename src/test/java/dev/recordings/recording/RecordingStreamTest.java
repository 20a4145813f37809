package dev.recordings.recording;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Recordings are written out as a stream (metadata, then the transcript chunk by chunk from a database cursor):
 * every recording of a page gets its own transcript whatever its neighbours hold, and a read that ends early, or
 * is abandoned by its client, gives its database connection back.
 */
@QuarkusTest
class RecordingStreamTest {

    /** Far more than the connection pool holds (quarkus.datasource.reactive.max-size). */
    private static final int MORE_READS_THAN_CONNECTIONS = 30;

    @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
    int poolSize;

    @TestHTTPResource("/")
    URI root;

    private Api.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = Api.writer();
    }

    private String recordingWith(int segments, String started) {
        String id = tenant.createRecording("{\"started_at\": \"" + started + "\"}");
        for (int from = 0; from < segments; from += 1000) {
            int to = Math.min(segments, from + 1000);
            tenant.request().header("Prefer", "return=minimal")
                    .body("{\"segments\": " + segments(id, from, to) + "}")
                    .post(tenant.recordings() + id + "/append_segments/").then().statusCode(200);
        }
        return id;
    }

    private static String segments(String recording, int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> "{\"timestamp\": " + i + ", \"speaker\": \"Ann\", \"text\": \"" + text(recording, i)
                        + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String text(String recording, int position) {
        return recording.substring(0, 8) + " says \\\"word\\\" " + position;
    }

    private static List<String> texts(String recording, int count) {
        return IntStream.range(0, count).mapToObj(i -> text(recording, i).replace("\\\"", "\"")).toList();
    }

    @Test
    void everyRecordingOfAPageHasItsOwnTranscript() {
        // newest first: empty, 40 segments (three chunks), empty, 1 segment, empty
        int[] sizes = { 0, 40, 0, 1, 0 };
        String[] ids = new String[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            ids[i] = recordingWith(sizes[i], "2026-03-0" + (9 - i) + "T10:00:00Z");
        }
        JsonPath page = tenant.request().get(tenant.recordings()).then().statusCode(200)
                .body("count", is(sizes.length)).extract().jsonPath();
        assertEquals(List.of(ids), page.getList("results.id"));
        for (int i = 0; i < sizes.length; i++) {
            List<String> expected = texts(ids[i], sizes[i]);
            assertEquals(expected, page.getList("results[" + i + "].transcript_segments.text"), "recording " + i);
            assertEquals(String.join(" ", expected), page.getString("results[" + i + "].transcript_text"));
            assertEquals("2026-03-0" + (9 - i) + "T10:00:00.000000Z", page.getString("results[" + i + "].started_at"));
        }
        JsonPath second = tenant.request().queryParam("limit", 2).queryParam("offset", 1).get(tenant.recordings())
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(ids[1], ids[2]), second.getList("results.id"));
        assertEquals(texts(ids[1], 40), second.getList("results[0].transcript_segments.text"));
    }

    @Test
    void aLongTranscriptIsWholeAndEveryReadGivesItsConnectionBack() {
        // 5,000 segments: streamed from a cursor; the short one comes in the recording's own statement
        String id = recordingWith(5_000, "2026-03-01T10:00:00Z");
        String shortOne = recordingWith(20, "2026-03-02T10:00:00Z");
        for (int read = 0; read < MORE_READS_THAN_CONNECTIONS; read++) {
            tenant.request().get(tenant.recordings() + shortOne + "/").then().statusCode(200);
            JsonPath recording = tenant.request().get(tenant.recordings() + id + "/").then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(5_000, recording.getList("transcript_segments").size());
        }
        assertEquals(texts(id, 5_000), tenant.request().get(tenant.recordings() + id + "/").then().statusCode(200)
                .extract().jsonPath().getList("transcript_segments.text"));
    }

    @Test
    void aClientThatStopsReadingDoesNotKeepAConnection() throws Exception {
        String id = recordingWith(5_000, "2026-03-01T10:00:00Z");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest retrieve = HttpRequest.newBuilder(root.resolve(tenant.recordings() + id + "/"))
                .header("Authorization", "Bearer " + tenant.key()).timeout(Duration.ofSeconds(10)).build();
        assertTrue(MORE_READS_THAN_CONNECTIONS > poolSize);
        for (int read = 0; read < MORE_READS_THAN_CONNECTIONS; read++) {
            HttpResponse<InputStream> response = client.send(retrieve, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (InputStream body = response.body()) {
                assertEquals('{', body.read());
            }
        }
        // had any abandoned read kept its connection, the pool would be empty and this read would wait forever
        HttpResponse<String> whole = client.send(retrieve, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, whole.statusCode());
        assertEquals(5_000, JsonPath.from(whole.body()).getList("transcript_segments").size());
    }
}
