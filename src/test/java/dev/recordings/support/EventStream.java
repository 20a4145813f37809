package dev.recordings.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.restassured.path.json.JsonPath;

/**
 * A small server-sent events client for the tests: it opens a stream, and reads its events (and comments) on a
 * thread of its own into a queue, following the format's rules (fields until a blank line).
 */
public final class EventStream implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** An event; {@code id} is null when the event has none. */
    public record Event(String event, String id, String data) {
        public JsonPath json() {
            return JsonPath.from(data);
        }
    }

    public final int status;
    public final String contentType;
    /** The body of an answer that is not a stream (an error). */
    public final String body;
    private final InputStream input;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean endedCleanly;

    private EventStream(HttpResponse<InputStream> response) throws IOException {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.input = response.body();
        if (status != 200) {
            this.body = new String(input.readAllBytes(), StandardCharsets.UTF_8);
            ended.countDown();
            return;
        }
        this.body = null;
        Thread reader = new Thread(this::read, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static EventStream open(String uri, String key, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        headers.forEach(request::header);
        return new EventStream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public static EventStream open(String uri, String key) throws Exception {
        return open(uri, key, Map.of());
    }

    /** The next event; fails when none comes in time. */
    public Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + timeout + (ended.getCount() == 0 ? " (the stream ended)" : ""));
        }
        return event;
    }

    public Event next() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    /** The next event, or null when none comes in time. */
    public Event poll(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String nextComment(Duration timeout) throws InterruptedException {
        return comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the server ended the stream (the body ended) in time. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the body ended as a complete answer, not cut off. */
    public boolean endedCleanly() {
        return endedCleanly;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            String event = null;
            String id = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(event == null ? "message" : event, id, data.toString()));
                    }
                    event = null;
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "event" -> event = value;
                        case "id" -> id = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                        }
                    }
                }
            }
            endedCleanly = true;
        } catch (IOException cutOff) {
            endedCleanly = false;
        } finally {
            ended.countDown();
        }
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
