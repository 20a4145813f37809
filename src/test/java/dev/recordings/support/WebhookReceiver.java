package dev.recordings.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;

import io.restassured.path.json.JsonPath;

/**
 * A real HTTP receiver of webhooks on localhost: it records every request (headers, body, when) and answers with
 * what the test asked for, in order (then 204).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(Map<String, List<String>> headers, String body, Instant at) {
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        public JsonPath json() {
            return JsonPath.from(body);
        }

        public String type() {
            return json().getString("type");
        }
    }

    /** An answer: its status, its headers, and how long to wait before giving it. */
    public record Answer(int status, Map<String, String> headers, Duration delay) {
        public static Answer status(int status) {
            return new Answer(status, Map.of(), Duration.ZERO);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = exchange.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(entry -> entry.getKey().toLowerCase(), Map.Entry::getValue,
                            (a, b) -> a));
            received.add(new Received(headers, body, Instant.now()));
            Answer answer = answers.poll();
            if (answer == null) {
                answer = Answer.status(204);
            }
            try {
                Thread.sleep(answer.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.flush();
            } catch (IOException closed) {
                // the sender gave up waiting: what the test looks for
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** The answers to give next, in order. */
    public WebhookReceiver answer(Answer... next) {
        answers.addAll(List.of(next));
        return this;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> ofType(String type) {
        return received.stream().filter(request -> type.equals(request.type())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
