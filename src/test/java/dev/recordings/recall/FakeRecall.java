package dev.recordings.recall;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real HTTP server on loopback that plays Recall.ai; each test says how it answers next. */
public class FakeRecall implements QuarkusTestResourceLifecycleManager {

    public static final String KEY = "test-recall-key";

    /** How the next request is answered: status, body, and a delay in milliseconds. */
    public record Answer(int status, String body, long delayMillis) {
    }

    public record Received(String method, String path, String authorization, String contentType, String body) {
    }

    public static volatile Answer next = success();
    public static volatile Received last;

    private HttpServer server;

    public static Answer success() {
        return new Answer(201, "{\"id\": \"7276e323-83a6-4edf-893f-03d54726eb02\", \"upload_token\": \"tok-123\", "
                + "\"status\": {}}", 0);
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
                "recordings.uploads-enabled", "true",
                "quarkus.rest-client.recall.read-timeout", "1000");
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        last = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body);
        Answer answer = next;
        if (answer.delayMillis() > 0) {
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
