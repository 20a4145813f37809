package dev.recordings.recall;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real HTTP server on loopback that plays Recall.ai; each test queues how it answers. */
public class FakeRecall implements QuarkusTestResourceLifecycleManager {

    public static final String KEY = "test-recall-key";
    /** A Svix secret: "whsec_" and base64 of random bytes. */
    public static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /** How a request is answered: status, body, a delay in milliseconds, and extra headers. */
    public record Answer(int status, String body, long delayMillis, Map<String, String> headers) {
        public Answer(int status, String body, long delayMillis) {
            this(status, body, delayMillis, Map.of());
        }
    }

    public record Received(String method, String path, String authorization, String contentType, String body) {
    }

    /** Answers still to give, in order; once empty, every request succeeds. */
    public static final Queue<Answer> ANSWERS = new ConcurrentLinkedQueue<>();
    public static final AtomicInteger REQUESTS = new AtomicInteger();
    public static volatile Received last;

    private HttpServer server;

    /** A created upload with a fresh id. */
    public static Answer success() {
        return success(java.util.UUID.randomUUID().toString());
    }

    public static Answer success(String uploadId) {
        return new Answer(201, "{\"id\": \"" + uploadId + "\", \"upload_token\": \"tok-123\", \"status\": {}}", 0);
    }

    public static void reset() {
        ANSWERS.clear();
        REQUESTS.set(0);
        last = null;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::answer);
        server.start();
        return Map.of("recall.ai.api-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "recall.ai.api-key", KEY,
                "recall.ai.webhook-secret", WEBHOOK_SECRET,
                "recordings.uploads-enabled", "true",
                "recall.ai.connect-timeout-ms", "500",
                "recall.ai.read-timeout-ms", "1000");
    }

    private void answer(HttpExchange exchange) throws IOException {
        REQUESTS.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        last = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body);
        Answer answer = ANSWERS.poll();
        if (answer == null) {
            answer = success();
        }
        if (answer.delayMillis() > 0) {
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException closedByTheClient) {
            // the service gave up waiting (a timeout test)
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
