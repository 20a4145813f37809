package dev.recordings.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.recordings.support.EventStream;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The database goes away while appends stream, and comes back: every request in between is a 503 with Retry-After
 * (never a 500, never a hang), readiness goes DOWN and UP by itself, the first append after it succeeds, and every
 * acknowledged segment is stored once.
 */
class DatabaseOutageIT {

    private static final int WRITERS = 4;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private EmbeddedPostgres database;
    private Path data;
    private int port;

    private void startDatabase() throws Exception {
        database = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .start();
    }

    @Test
    void anOutageMidStreamLosesNothingAcknowledgedAndAnswers503() throws Exception {
        data = Files.createTempDirectory("recordings-outage-pg-");
        port = ServiceProcess.freePort();
        startDatabase();
        try (ServiceProcess service = ServiceProcess.start("outage", Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + port + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres", "QUARKUS_DATASOURCE_PASSWORD", "",
                "RECORDINGS_UPLOADS_ENABLED", "false"))) {
            String key = provision(service);
            String recording = RestAssured.given().baseUri(service.url("")).contentType("application/json")
                    .header("Authorization", "Bearer " + key).body("{}").post(projectPath)
                    .then().statusCode(201).extract().path("id");
            String appendPath = projectPath + recording + "/append_segments/";
            String streamPath = projectPath + recording + "/transcript/stream/";
            Watcher before = new Watcher(EventStream.open(service.url(streamPath), key));

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            List<String> unexpected = new ArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Thread thread = new Thread(() -> {
                    for (int n = 0; writing.get(); n++) {
                        String text = "writer " + writer + " segment " + n;
                        HttpRequest append = HttpRequest.newBuilder(URI.create(service.url(appendPath)))
                                .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/json").header("Prefer", "return=minimal")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"segments\": [{\"timestamp\": " + n
                                        + ", \"text\": \"" + text + "\"}]}")).build();
                        try {
                            HttpResponse<String> answer = client.send(append, HttpResponse.BodyHandlers.ofString());
                            statuses.merge(answer.statusCode(), 1, Integer::sum);
                            if (answer.statusCode() == 200) {
                                acknowledged.add(text);
                            } else if (answer.statusCode() != 503
                                    || answer.headers().firstValue("Retry-After").isEmpty()
                                    || !answer.body().contains("service_unavailable")) {
                                synchronized (unexpected) {
                                    unexpected.add(answer.statusCode() + " " + answer.body());
                                }
                            }
                            Thread.sleep(20);
                        } catch (Exception e) {
                            synchronized (unexpected) {
                                unexpected.add(e.toString());
                            }
                        }
                    }
                });
                thread.start();
                writers.add(thread);
            }
            Thread.sleep(2_000);
            database.close();
            awaitReadiness(service, 503);
            Thread.sleep(2_000);
            startDatabase();
            awaitReadiness(service, 200);
            // A stream lives through the outage (its replica polls for changes again once the database answers)
            // unless a read of its was cut by it; then its client reconnects with the last id it received, as
            // EventSource does.
            Watcher after = null;
            if (before.stream.awaitEnd(Duration.ZERO)) {
                while (!before.done) {
                    Thread.sleep(20);
                }
                EventStream[] reconnected = new EventStream[1];
                int position = before.position;
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    reconnected[0] = EventStream.open(service.url(streamPath), key,
                            Map.of("Last-Event-ID", Integer.toString(position)));
                    assertTrue(reconnected[0].status == 200 || reconnected[0].status == 503, reconnected[0].body);
                    return reconnected[0].status == 200;
                });
                after = new Watcher(reconnected[0]);
            }
            HttpRequest first = HttpRequest.newBuilder(URI.create(service.url(appendPath))).timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .header("Prefer", "return=minimal")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"segments\": [{\"text\": \"after the outage\"}]}"))
                    .build();
            assertEquals(200, client.send(first, HttpResponse.BodyHandlers.ofString()).statusCode());
            Thread.sleep(1_000);
            writing.set(false);
            for (Thread writer : writers) {
                writer.join();
            }

            System.out.printf("DatabaseOutageIT: answers by status %s, %d segments acknowledged%n", statuses,
                    acknowledged.size());
            assertEquals(List.of(), unexpected, "every answer a 200 or a 503 with Retry-After; statuses " + statuses);
            assertTrue(statuses.getOrDefault(503, 0) > 0, "the outage was seen: " + statuses);
            List<String> stored = RestAssured.given().baseUri(service.url(""))
                    .header("Authorization", "Bearer " + key).get(projectPath + recording + "/")
                    .then().statusCode(200).extract().jsonPath().getList("transcript_segments.text");
            assertTrue(stored.containsAll(acknowledged), "an acknowledged segment was lost");
            assertEquals(stored.size(), Set.copyOf(stored).size(), "a segment stored twice");
            assertTrue(stored.contains("after the outage"));

            Watcher last = after != null ? after : before;
            last.awaitPosition(stored.size());
            List<String> watched = new ArrayList<>(before.texts);
            if (after != null) {
                watched.addAll(after.texts);
            }
            System.out.printf("DatabaseOutageIT: the stream %s the outage%n", after == null ? "lived through"
                    : "was ended by");
            assertEquals(stored, watched, "the streams hold the transcript, each segment once");
            last.stream.close();
        } finally {
            database.close();
        }
    }

    private String projectPath;

    /** Reads a stream's segments events on a thread of its own, checking each starts where the last ended. */
    private static final class Watcher {
        final EventStream stream;
        final List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile int position = -1;
        volatile String failure;
        /** The stream ended and every event it sent has been read. */
        volatile boolean done;

        Watcher(EventStream stream) {
            assertEquals(200, stream.status, stream.body);
            this.stream = stream;
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        EventStream.Event event = stream.poll(Duration.ofMillis(200));
                        if (event == null) {
                            if (stream.awaitEnd(Duration.ZERO)) {
                                done = true;
                                return;
                            }
                            continue;
                        }
                        int start = event.json().getInt("start");
                        if (position >= 0 && start != position) {
                            failure = "an event started at " + start + " after " + position;
                        }
                        texts.addAll(event.json().getList("segments.text"));
                        position = Integer.parseInt(event.id());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void awaitPosition(int count) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(10);
            while (position < count && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertEquals(null, failure);
            assertEquals(count, position, "the reconnected stream caught up");
        }
    }

    private String provision(ServiceProcess service) {
        var admin = RestAssured.given().baseUri(service.url("")).contentType("application/json")
                .header("Authorization", "Bearer " + ServiceProcess.ADMIN_TOKEN);
        long project = admin.body("{\"name\": \"outage\"}").post("/api/admin/projects").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        long user = RestAssured.given().baseUri(service.url("")).contentType("application/json")
                .header("Authorization", "Bearer " + ServiceProcess.ADMIN_TOKEN)
                .body("{\"email\": \"outage@example.com\"}").post("/api/admin/users").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        RestAssured.given().baseUri(service.url("")).header("Authorization", "Bearer " + ServiceProcess.ADMIN_TOKEN)
                .put("/api/admin/projects/" + project + "/members/" + user).then().statusCode(204);
        projectPath = "/api/projects/" + project + "/desktop_recordings/";
        JsonPath key = RestAssured.given().baseUri(service.url("")).contentType("application/json")
                .header("Authorization", "Bearer " + ServiceProcess.ADMIN_TOKEN)
                .body("{\"label\": \"outage\", \"scopes\": [\"*\"]}")
                .post("/api/admin/users/" + user + "/personal_api_keys").then().statusCode(201).extract().jsonPath();
        return key.getString("value");
    }

    private static void awaitReadiness(ServiceProcess service, int status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (service.status("/q/health/ready") != status) {
            assertTrue(Instant.now().isBefore(deadline), "readiness never answered " + status);
            Thread.sleep(100);
        }
    }
}
