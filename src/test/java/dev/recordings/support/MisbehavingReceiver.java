package dev.recordings.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A webhook receiver on localhost that misbehaves the way an attacker's would, on plain sockets. */
public final class MisbehavingReceiver implements AutoCloseable {

    public enum Behaviour {
        /** Answers 200 and then a chunked body that never ends, as fast as it can. */
        ENDLESS_BODY,
        /** Answers 200 with a long Content-Length, then one byte every 200 ms: never idle, never done. */
        DRIP,
        /** Accepts the connection and never answers (a tarpit). */
        SILENT
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "misbehaving-receiver");
        thread.setDaemon(true);
        return thread;
    });

    public MisbehavingReceiver(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hooks";
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                connections.incrementAndGet();
                threads.execute(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try {
            if (behaviour == Behaviour.SILENT) {
                return;
            }
            readHeaders(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (behaviour == Behaviour.ENDLESS_BODY) {
                out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    out.write(chunk);
                    bytesSent.addAndGet(chunk.length);
                }
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            while (true) {
                out.write('x');
                out.flush();
                bytesSent.incrementAndGet();
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException cut) {
            // the sender gave up: what the tests look for
        }
    }

    private static void readHeaders(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = { '\r', '\n', '\r', '\n' };
        while (matched < 4) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("closed");
            }
            matched = next == end[matched] ? matched + 1 : next == '\r' ? 1 : 0;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
