package dev.recordings.deploy;

import static org.awaitility.Awaitility.await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.recordings.support.EventStream;
import dev.recordings.support.McpClient;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * What two instances of the packaged service must do against one database, as two pods: serve the same data, hold
 * the append race across them, hand changes to each other's streams and caches, share MCP sessions and key
 * revocations, and finish the append they serve when stopped with SIGTERM. Each subclass supplies the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReplicaChecks {

    ServiceProcess first;
    ServiceProcess second;
    String key;
    String projectPath;

    /** Starts the database (if the first instance does not) and the first instance. */
    abstract ServiceProcess startFirst() throws Exception;

    /** Another instance on the first one's database. */
    abstract ServiceProcess another(String name) throws Exception;

    /** Stops the database, after both instances. */
    abstract void stopDatabase() throws Exception;

    @BeforeAll
    void startTwoInstances() throws Exception {
        first = startFirst();
        second = another("second");
        key = provisionKey(first);
    }

    @AfterAll
    void stop() throws Exception {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        stopDatabase();
    }

    static RequestSpecification admin(ServiceProcess service) {
        return RestAssured.given().baseUri(service.url("")).contentType("application/json")
                .header("Authorization", "Bearer " + ServiceProcess.ADMIN_TOKEN);
    }

    RequestSpecification as(ServiceProcess service) {
        return RestAssured.given().baseUri(service.url("")).contentType("application/json")
                .header("Authorization", "Bearer " + key);
    }

    String provisionKey(ServiceProcess service) {
        long project = admin(service).body("{\"name\": \"it\"}").post("/api/admin/projects")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long user = admin(service).body("{\"email\": \"it@example.com\"}").post("/api/admin/users")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        admin(service).put("/api/admin/projects/" + project + "/members/" + user).then().statusCode(204);
        projectPath = "/api/projects/" + project + "/desktop_recordings/";
        return admin(service).body("{\"label\": \"it\", \"scopes\": [\"*\"]}")
                .post("/api/admin/users/" + user + "/personal_api_keys").then().statusCode(201).extract().path("value");
    }


    @Test
    void bothInstancesServeTheSameDataAndTheAppendRaceHoldsAcrossThem() throws Exception {
        String id = as(first).body("{\"meeting_title\": \"shared\"}").post(projectPath)
                .then().statusCode(201).extract().path("id");
        as(second).get(projectPath + id + "/").then().statusCode(200);

        List<CompletableFuture<Integer>> appends = new ArrayList<>();
        for (int batch = 0; batch < 50; batch++) {
            ServiceProcess target = batch % 2 == 0 ? first : second;
            // every fifth batch is sent twice, to the other instance too: a retry through another pod
            List<ServiceProcess> targets = batch % 5 == 0 ? List.of(target, target == first ? second : first)
                    : List.of(target);
            StringBuilder segments = new StringBuilder("[");
            for (int s = 0; s < 20; s++) {
                int timestamp = batch * 20 + s;
                segments.append(s == 0 ? "" : ",").append("{\"timestamp\": ").append(timestamp)
                        .append(", \"text\": \"t").append(timestamp).append("\"}");
            }
            String body = "{\"segments\": " + segments + "]}";
            for (ServiceProcess service : targets) {
                appends.add(CompletableFuture.supplyAsync(() -> as(service).header("Prefer", "return=minimal")
                        .body(body).post(projectPath + id + "/append_segments/").statusCode()));
            }
        }
        for (CompletableFuture<Integer> append : appends) {
            assertEquals(200, append.get());
        }

        JsonPath fromFirst = as(first).get(projectPath + id + "/").then().statusCode(200).extract().jsonPath();
        JsonPath fromSecond = as(second).get(projectPath + id + "/").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> segments = fromSecond.getList("transcript_segments");
        assertEquals(1000, segments.size(), "50 batches of 20, none lost, none doubled");
        Set<Object> distinct = segments.stream().map(segment -> segment.get("timestamp")).collect(Collectors.toSet());
        assertEquals(1000, distinct.size());
        assertEquals(fromFirst.getString("transcript_text"), fromSecond.getString("transcript_text"));
        assertEquals(segments.stream().map(s -> (String) s.get("text")).collect(Collectors.joining(" ")),
                fromSecond.getString("transcript_text"));
    }

    /**
     * Each replica keeps the closed chunks of the transcripts it answered; a change made through the other one (a
     * replacement by id in a closed chunk, a speaker rename, a new transcript) is in its very next full answer.
     */
    @Test
    void aFullAnswerOnOneInstanceHasTheChangesMadeOnTheOther() {
        String id = as(first).body("{}").post(projectPath).then().statusCode(201).extract().path("id");
        String segments = IntStream.range(0, 40)
                .mapToObj(i -> "{\"id\": \"s" + i + "\", \"speaker\": \"Ana\", \"text\": \"word " + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
        as(first).body("{\"segments\": " + segments + "}").post(projectPath + id + "/append_segments/")
                .then().statusCode(200);
        as(first).get(projectPath + id + "/").then().statusCode(200);

        as(second).header("Prefer", "return=minimal")
                .body("{\"segments\": [{\"id\": \"s3\", \"speaker\": \"Ana\", \"text\": \"changed on the second\"}]}")
                .post(projectPath + id + "/append_segments/").then().statusCode(200);
        JsonPath appended = as(first).body("{\"segments\": [{\"text\": \"one more\"}]}")
                .post(projectPath + id + "/append_segments/").then().statusCode(200).extract().jsonPath();
        assertEquals("changed on the second", appended.getString("transcript_segments[3].text"));
        assertEquals(41, appended.getList("transcript_segments").size());

        as(second).body("{\"from\": \"Ana\", \"to\": \"Bea\"}").post(projectPath + id + "/speakers/")
                .then().statusCode(200);
        String onFirst = as(first).get(projectPath + id + "/").then().statusCode(200).extract().asString();
        assertEquals(as(second).get(projectPath + id + "/").then().statusCode(200).extract().asString(), onFirst);
        assertEquals(40, JsonPath.from(onFirst).getList("transcript_segments.speaker").stream()
                .filter("Bea"::equals).count());

        as(second).body("{\"transcript_segments\": [{\"text\": \"all new\"}]}").patch(projectPath + id + "/")
                .then().statusCode(200);
        assertEquals(List.of("all new"), as(first).get(projectPath + id + "/").then().statusCode(200).extract()
                .jsonPath().getList("transcript_segments.text"));
    }

    @Test
    void aChangeOnOneInstanceReachesAStreamOnTheOtherWithinASecond() throws Exception {
        String id = as(first).body("{}").post(projectPath).then().statusCode(201).extract().path("id");
        try (EventStream stream = EventStream.open(second.url(projectPath + id + "/transcript/stream/"), key)) {
            assertEquals(200, stream.status, stream.body);
            assertEquals("0", stream.next().id());
            List<Long> latencies = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                as(first).header("Prefer", "return=minimal")
                        .body("{\"segments\": [{\"text\": \"said on the first, " + round + "\"}]}")
                        .post(projectPath + id + "/append_segments/").then().statusCode(200);
                long answered = System.nanoTime();
                EventStream.Event event = stream.next(Duration.ofSeconds(5));
                latencies.add((System.nanoTime() - answered) / 1_000_000);
                assertEquals("said on the first, " + round, event.json().getString("segments[0].text"));
                assertEquals(Integer.toString(round + 1), event.id());
            }
            as(first).body("{\"status\": \"uploading\"}").patch(projectPath + id + "/").then().statusCode(200);
            assertEquals("uploading", stream.next(Duration.ofSeconds(5)).json().getString("status"));
            assertTrue(latencies.stream().allMatch(latency -> latency < 1000),
                    "every change within a second on the other instance: " + latencies);
        }
    }

    /**
     * An assistant's MCP session begun on one replica goes on on the other, as it does behind a Kubernetes Service
     * without session affinity: each tool call stands alone.
     */
    @Test
    void anMcpSessionBegunOnOneInstanceIsServedByTheOther() {
        String id = as(first).body("{\"meeting_title\": \"Pricing\"}").post(projectPath)
                .then().statusCode(201).extract().path("id");
        McpClient onFirst = McpClient.connect(first.url("").replaceAll("/$", ""), key);
        McpClient onSecond = onFirst.on(second.url("").replaceAll("/$", ""));
        long project = Long.parseLong(projectPath.split("/")[3]);
        McpClient.ToolResult recording = onSecond.call("get_recording", Map.of("project_id", project,
                "recording_id", id));
        assertFalse(recording.isError(), recording.toString());
        assertEquals("Pricing", recording.json().getString("meeting_title"));
        assertEquals(List.of("get_recording", "get_transcript", "list_recordings", "rename_speaker",
                "search_transcripts"), onSecond.request("tools/list", Map.of()).getList("result.tools.name")
                        .stream().sorted().toList());
    }

    /** Each replica keeps keys and memberships in memory; a revocation on one reaches the other within a second. */
    @Test
    void aKeyRevokedOnOneInstanceIsRefusedOnTheOtherWithinASecond() {
        long user = admin(first).body("{\"email\": \"revoked@example.com\"}").post("/api/admin/users")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        String project = projectPath.split("/")[3];
        admin(first).put("/api/admin/projects/" + project + "/members/" + user).then().statusCode(204);
        JsonPath created = admin(first).body("{\"label\": \"soon revoked\", \"scopes\": [\"*\"]}")
                .post("/api/admin/users/" + user + "/personal_api_keys").then().statusCode(201).extract().jsonPath();
        RequestSpecification onSecond = RestAssured.given().baseUri(second.url(""))
                .header("Authorization", "Bearer " + created.getString("value"));
        for (int warm = 0; warm < 5; warm++) {
            onSecond.get(projectPath).then().statusCode(200);
        }

        admin(first).delete("/api/admin/personal_api_keys/" + created.getString("id")).then().statusCode(204);
        long revoked = System.nanoTime();
        while (onSecond.get(projectPath).statusCode() != 401) {
            assertTrue(System.nanoTime() - revoked < 5_000_000_000L, "still served 5 s after the revocation");
        }
        long took = (System.nanoTime() - revoked) / 1_000_000;
        System.out.printf("a key revoked on one instance was refused on the other after %d ms%n", took);
        assertTrue(took < 1000, "refused on the other instance only after " + took + " ms");
    }

    @Test
    void shutdownEndsOpenStreamsAtOnceInsteadOfWaitingForThem() throws Exception {
        ServiceProcess leaving = another("streaming");
        String id = as(first).body("{}").post(projectPath).then().statusCode(201).extract().path("id");
        List<EventStream> streams = new ArrayList<>();
        try {
            for (int stream = 0; stream < 5; stream++) {
                EventStream opened = EventStream.open(leaving.url(projectPath + id + "/transcript/stream/"), key);
                assertEquals(200, opened.status, opened.body);
                opened.next();
                streams.add(opened);
            }
            long stopping = System.nanoTime();
            leaving.terminate();
            for (EventStream stream : streams) {
                assertTrue(stream.awaitEnd(Duration.ofSeconds(10)), "the stream ends when shutdown begins");
                assertTrue(stream.endedCleanly(), "as a complete answer, so the client reconnects elsewhere");
            }
            // without ending them, the graceful shutdown waits its 20 s timeout for the open streams
            assertTrue(leaving.awaitExit(Duration.ofSeconds(15)), "the instance exits without waiting for streams");
            System.out.printf("streams ended and the instance exited %d ms after SIGTERM%n",
                    (System.nanoTime() - stopping) / 1_000_000);
        } finally {
            for (EventStream stream : streams) {
                stream.close();
            }
            leaving.close();
        }
    }

    @Test
    void anAppendInFlightWhenShutdownBeginsIsCommittedAndAcknowledged() throws Exception {
        ServiceProcess leaving = another("leaving");
        String id = as(first).body("{}").post(projectPath).then().statusCode(201).extract().path("id");
        byte[] body = ("{\"segments\": [{\"timestamp\": 1, \"text\": \"said just before the pod stopped\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        String answer;
        try (Socket socket = new Socket("localhost", leaving.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + projectPath + id + "/append_segments/ HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n"
                    + "Prefer: return=minimal\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 10);
            out.flush();
            Thread.sleep(500);

            leaving.terminate();
            // not ready once shutdown has begun, and still serving the request in flight
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> leaving.status("/q/health/ready") == 503);

            out.write(body, 10, body.length - 10);
            out.flush();
            InputStream in = socket.getInputStream();
            answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.contains("\"appended\":1"), answer);
        assertTrue(leaving.awaitExit(Duration.ofSeconds(40)), "the instance exits once the request is done");
        as(first).get(projectPath + id + "/").then().statusCode(200)
                .body("transcript_text", org.hamcrest.Matchers.is("said just before the pod stopped"));
    }
}
