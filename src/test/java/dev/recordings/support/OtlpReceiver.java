package dev.recordings.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * An OTLP/HTTP receiver: takes the posts of traces (at whatever path the endpoint names) and keeps the bodies, in
 * which a trace id is its 16 bytes as they are (protobuf), so a test finds it without decoding.
 */
public final class OtlpReceiver implements AutoCloseable {

    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public OtlpReceiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            bodies.add(exchange.getRequestBody().readAllBytes());
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** Whether a body received so far holds this trace id (32 hex digits). */
    public boolean received(String traceId) {
        byte[] id = java.util.HexFormat.of().parseHex(traceId);
        return bodies.stream().anyMatch(body -> contains(body, id));
    }

    private static boolean contains(byte[] body, byte[] part) {
        outer: for (int start = 0; start + part.length <= body.length; start++) {
            for (int index = 0; index < part.length; index++) {
                if (body[start + index] != part[index]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
