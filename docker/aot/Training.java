import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AOT cache's training load, run against the service while the container image is built (docker/aot-train.sh):
 * what a pod serves in production, so that the classes loaded and the methods profiled and compiled are those of
 * real traffic. Meetings are created, stream batches of segments (PostHog's full answer and return=minimal, with
 * ids and without, with retries), are read, listed, searched, exported and renamed, with a live stream open on
 * some, and a few requests fail validation. JDK only, compiled for the image by docker/build-image.sh.
 *
 * <pre>java -cp DIR Training BASE_URL ADMIN_TOKEN SECONDS</pre>
 */
public class Training {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final AtomicInteger SENT = new AtomicInteger();
    static final AtomicInteger FAILED = new AtomicInteger();
    static String base;
    static String key;
    static String recordings;

    public static void main(String[] args) throws Exception {
        base = args[0].replaceAll("/$", "");
        String admin = args[1];
        long until = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
        long project = id(send("POST", "/api/admin/projects", admin, "{\"name\": \"training\"}"));
        long user = id(send("POST", "/api/admin/users", admin, "{\"email\": \"training@example.com\"}"));
        send("PUT", "/api/admin/projects/" + project + "/members/" + user, admin, null);
        key = field(send("POST", "/api/admin/users/" + user + "/personal_api_keys", admin,
                "{\"label\": \"training\", \"scopes\": [\"*\"]}"), "value");
        recordings = "/api/projects/" + project + "/desktop_recordings/";

        ExecutorService meetings = Executors.newFixedThreadPool(8);
        List<CompletableFuture<?>> running = new ArrayList<>();
        for (int meeting = 0; meeting < 8; meeting++) {
            int number = meeting;
            running.add(CompletableFuture.runAsync(() -> meeting(number, until), meetings));
        }
        for (CompletableFuture<?> one : running) {
            one.get();
        }
        meetings.shutdown();
        // a cache trained on errors would warm the wrong paths: the image build stops instead
        System.out.printf("Training load done: %d requests, %d failed%n", SENT.get(), FAILED.get());
        System.exit(SENT.get() > 0 && FAILED.get() * 100 <= SENT.get() ? 0 : 1);
    }

    /** One meeting after another until the time is up, each streamed, watched and read as clients do. */
    static void meeting(int number, long until) {
        int round = 0;
        while (System.nanoTime() < until) {
            try {
                String id = field(send("POST", recordings, key, "{\"meeting_title\": \"Training " + number
                        + "\", \"platform\": \"zoom\", \"participants\": [\"Ana\", \"Bea\"]}"), "id");
                Thread watcher = number % 2 == 0 ? watch(id) : null;
                for (int batch = 0; batch < 40 && System.nanoTime() < until; batch++) {
                    String segments = segments(batch, number % 3 == 0);
                    send("POST", recordings + id + "/append_segments/", key, "{\"segments\": " + segments + "}",
                            batch % 2 == 0 ? "return=minimal" : null);
                    if (batch % 10 == 9) {
                        // a retry of the same batch: dropped
                        send("POST", recordings + id + "/append_segments/", key,
                                "{\"segments\": " + segments + "}", "return=minimal");
                        send("GET", recordings + id + "/", key, null);
                    }
                    Thread.sleep(100);
                }
                send("POST", recordings + id + "/speakers/", key, "{\"from\": \"Ana\", \"to\": \"Cy\"}");
                send("PATCH", recordings + id + "/", key, "{\"status\": \"completed\", \"notes\": \"trained\"}");
                send("GET", recordings + "?limit=20", key, null);
                send("GET", recordings + "?search=roadmap&limit=5", key, null);
                send("GET", recordings + id + "/transcript/?format=vtt", key, null);
                send("POST", recordings + id + "/append_segments/", key, "{\"segments\": []}");
                send("GET", recordings + "not-a-uuid/", key, null);
                if (watcher != null) {
                    watcher.interrupt();
                }
                if (++round % 3 == 0) {
                    send("DELETE", recordings + id + "/", key, null);
                }
            } catch (InterruptedException stop) {
                return;
            } catch (Exception failure) {
                FAILED.incrementAndGet();
                System.out.println("Training request failed: " + failure);
            }
        }
    }

    static String segments(int batch, boolean withIds) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            int n = batch * 10 + i;
            json.append(i == 0 ? "" : ",").append('{');
            if (withIds) {
                json.append("\"id\": \"s").append(n).append("\", ");
            }
            json.append("\"timestamp\": ").append(n * 1.5).append(", \"speaker\": \"")
                    .append(n % 2 == 0 ? "Ana" : "Bea")
                    .append("\", \"text\": \"the roadmap review covered hiring and the launch, part ").append(n)
                    .append("\", \"confidence\": 0.9, \"is_final\": true}");
        }
        return json.append(']').toString();
    }

    /** A live stream of the recording, read on its own thread until interrupted. */
    static Thread watch(String id) {
        Thread thread = new Thread(() -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + recordings + id + "/transcript/stream/"))
                    .header("Authorization", "Bearer " + key).build();
            try (InputStream events = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
                byte[] buffer = new byte[8192];
                while (!Thread.currentThread().isInterrupted() && events.read(buffer) >= 0) {
                    // read and dropped: the service's side is what is trained
                }
            } catch (Exception ended) {
                // interrupted, or the service ended it
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static String send(String method, String path, String token, String body) throws Exception {
        return send(method, path, token, body, null);
    }

    static String send(String method, String path, String token, String body, String prefer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        SENT.incrementAndGet();
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 500) {
            throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode());
        }
        return answer.body();
    }

    static long id(String json) {
        return Long.parseLong(field(json, "id"));
    }

    static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
        if (!value.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return value.group(1);
    }
}
