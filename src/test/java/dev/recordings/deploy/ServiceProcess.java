package dev.recordings.deploy;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged service (target/quarkus-app) run as its own process, as a pod runs it. */
final class ServiceProcess implements AutoCloseable {

    static final String ADMIN_TOKEN = "it-admin-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final int port;
    private final Process process;
    final File log;

    private ServiceProcess(int port, Process process, File log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(String name, Map<String, String> environment) throws Exception {
        int port = freePort();
        File log = File.createTempFile("recordings-" + name + "-", ".log");
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + "/bin/java",
                "-jar", System.getProperty("quarkus.app.jar", "target/quarkus-app/quarkus-run.jar")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("RECORDINGS_ADMIN_TOKEN", ADMIN_TOKEN);
        builder.environment().put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        // the packaged service runs in the production profile, where the embedded database is off unless asked for
        builder.environment().put("RECORDINGS_EMBEDDED_DB_ENABLED", "true");
        // these tests drive one key from many writers at once; the per-key limit has its own test
        builder.environment().put("RECORDINGS_RATE_LIMIT_PER_KEY", "100000");
        builder.environment().putAll(environment);
        ServiceProcess service = new ServiceProcess(port, builder.start(), log);
        service.awaitReady();
        return service;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (status("/q/health/ready") != 200) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("service did not become ready; see " + log);
            }
            Thread.sleep(200);
        }
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as Kubernetes stops a pod. */
    void terminate() {
        process.destroy();
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
