package dev.recordings.health;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A PostgreSQL of the test's own, configured as an external database, that a test can stop and start again. */
public class RestartableDatabase implements QuarkusTestResourceLifecycleManager {

    private static Path directory;
    private static int port;
    private static EmbeddedPostgres running;

    @Override
    public Map<String, String> start() {
        try {
            directory = Files.createTempDirectory("recordings-restartable-pg-");
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            startServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "",
                "recordings.uploads-enabled", "false");
    }

    /** A JDBC URL of the server, for a test's own superuser session. */
    public static String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    public static synchronized void startServer() throws IOException {
        running = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false).setPort(port)
                .start();
    }

    public static synchronized void stopServer() throws IOException {
        running.close();
        running = null;
    }

    @Override
    public void stop() {
        try {
            if (running != null) {
                stopServer();
            }
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
