package dev.recordings.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Many batches for one recording at once, as retries and parallel uploads send them: every batch is applied exactly
 * once, whatever order the database takes them in.
 */
@QuarkusTest
class AppendConcurrencyTest {

    private static final int NEW_BATCHES = 40;
    private static final int SEGMENTS_PER_BATCH = 5;
    private static final int RETRIES = 20;
    private static final int REPLACEMENTS = 10;

    @TestHTTPResource("/")
    URL base;

    @Test
    void concurrentNewBatchesRetriesAndReplacementsAreEachAppliedExactlyOnce() throws Exception {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        String path = tenant.recordings() + recording + "/append_segments/";

        // Interim segments that the concurrent phase will finalize, one batch per id.
        StringBuilder interim = new StringBuilder("[");
        for (int i = 0; i < REPLACEMENTS; i++) {
            interim.append(i == 0 ? "" : ",").append(segment("id-" + i, 100_000 + i, "interim " + i));
        }
        tenant.request().body("{\"segments\": " + interim + "]}").post(path).then().statusCode(200);

        List<String> newBatches = new ArrayList<>();
        for (int b = 0; b < NEW_BATCHES; b++) {
            StringBuilder batch = new StringBuilder("[");
            for (int s = 0; s < SEGMENTS_PER_BATCH; s++) {
                int timestamp = b * SEGMENTS_PER_BATCH + s;
                batch.append(s == 0 ? "" : ",").append(segment(null, timestamp, "segment " + timestamp));
            }
            newBatches.add(batch.append("]").toString());
        }
        List<String> bodies = new ArrayList<>(newBatches);
        for (int r = 0; r < RETRIES; r++) {
            bodies.add(newBatches.get(r * NEW_BATCHES / RETRIES));
        }
        for (int i = 0; i < REPLACEMENTS; i++) {
            bodies.add("[" + segment("id-" + i, 100_000 + i, "final " + i) + "]");
        }
        Collections.shuffle(bodies);

        List<HttpResponse<String>> answers = sendAllAtOnce(tenant.key(), path, bodies);

        for (HttpResponse<String> answer : answers) {
            assertEquals(200, answer.statusCode(), answer.body());
        }
        int appended = 0;
        int dropped = 0;
        int replaced = 0;
        for (HttpResponse<String> answer : answers) {
            JsonPath summary = JsonPath.from(answer.body());
            appended += summary.getInt("appended");
            dropped += summary.getInt("dropped");
            replaced += summary.getInt("replaced");
        }
        assertEquals(NEW_BATCHES * SEGMENTS_PER_BATCH, appended, "every new segment appended once");
        assertEquals(RETRIES * SEGMENTS_PER_BATCH, dropped, "every retried segment dropped once");
        assertEquals(REPLACEMENTS, replaced);

        JsonPath stored = tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> segments = stored.getList("transcript_segments");
        assertEquals(REPLACEMENTS + NEW_BATCHES * SEGMENTS_PER_BATCH, segments.size(), "nothing lost or doubled");
        Set<String> distinct = new HashSet<>();
        for (Map<String, Object> segment : segments) {
            distinct.add(segment.get("timestamp") + "|" + segment.get("text"));
        }
        assertEquals(segments.size(), distinct.size(), "no duplicates");
        for (int t = 0; t < NEW_BATCHES * SEGMENTS_PER_BATCH; t++) {
            assertEquals(true, distinct.contains(t + "|segment " + t), "segment " + t + " stored");
        }
        for (int i = 0; i < REPLACEMENTS; i++) {
            assertEquals("final " + i, segments.get(i).get("text"), "replaced in place, keeping its position");
        }
        assertEquals(segments.stream().map(segment -> (String) segment.get("text")).collect(Collectors.joining(" ")),
                stored.getString("transcript_text"));
    }

    @Test
    void concurrentBatchesAcrossChunkBoundariesLoseNothingAndApplyNothingTwice() throws Exception {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        String path = tenant.recordings() + recording + "/append_segments/";
        int prefilled = 40; // 8 short of a chunk boundary (chunks of 16 segments); the batches cross nine more
        StringBuilder first = new StringBuilder("[");
        for (int t = 0; t < prefilled; t++) {
            first.append(t == 0 ? "" : ",").append(segment(null, t, "before " + t));
        }
        tenant.request().body("{\"segments\": " + first + "]}").post(path).then().statusCode(200);

        int newBatches = 35;
        int perBatch = 4;
        int retries = 15;
        List<String> batches = new ArrayList<>();
        for (int b = 0; b < newBatches; b++) {
            StringBuilder batch = new StringBuilder("[");
            for (int s = 0; s < perBatch; s++) {
                int timestamp = 1_000 + b * perBatch + s;
                batch.append(s == 0 ? "" : ",").append(segment(null, timestamp, "during " + timestamp));
            }
            batches.add(batch.append("]").toString());
        }
        List<String> bodies = new ArrayList<>(batches);
        for (int r = 0; r < retries; r++) {
            bodies.add(batches.get(r * 2));
        }
        Collections.shuffle(bodies);

        List<HttpResponse<String>> answers = sendAllAtOnce(tenant.key(), path, bodies);

        int appended = 0;
        int dropped = 0;
        for (HttpResponse<String> answer : answers) {
            assertEquals(200, answer.statusCode(), answer.body());
            appended += JsonPath.from(answer.body()).getInt("appended");
            dropped += JsonPath.from(answer.body()).getInt("dropped");
        }
        assertEquals(newBatches * perBatch, appended);
        assertEquals(retries * perBatch, dropped);

        JsonPath stored = tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200)
                .extract().jsonPath();
        List<String> texts = stored.getList("transcript_segments.text");
        assertEquals(prefilled + newBatches * perBatch, texts.size(), "nothing lost or doubled");
        assertEquals(texts.size(), new HashSet<>(texts).size(), "no duplicates");
        for (int t = 0; t < prefilled; t++) {
            assertEquals("before " + t, texts.get(t), "what was stored before keeps its place");
        }
        for (int b = 0; b < newBatches; b++) {
            int start = texts.indexOf("during " + (1_000 + b * perBatch));
            for (int s = 0; s < perBatch; s++) {
                assertEquals("during " + (1_000 + b * perBatch + s), texts.get(start + s), "a batch stays together");
            }
        }
        assertEquals(String.join(" ", texts), stored.getString("transcript_text"));
    }

    private List<HttpResponse<String>> sendAllAtOnce(String key, String path, List<String> bodies)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8))
                .connectTimeout(Duration.ofSeconds(10)).build();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (String body : bodies) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .header("Prefer", "return=minimal")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"segments\": " + body + "}"))
                    .build();
            pending.add(CompletableFuture.runAsync(() -> awaitQuietly(start))
                    .thenCompose(ready -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString())));
        }
        start.countDown();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : pending) {
            answers.add(answer.get());
        }
        return answers;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String segment(String id, int timestamp, String text) {
        return "{" + (id == null ? "" : "\"id\": \"" + id + "\", ") + "\"timestamp\": " + timestamp
                + ", \"text\": \"" + text + "\"}";
    }
}
