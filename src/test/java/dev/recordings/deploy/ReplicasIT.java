package dev.recordings.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/** Two instances of the packaged service against one PostgreSQL: the embedded one the first instance starts. */
class ReplicasIT extends ReplicaChecks {

    private Path dataDirectory;
    private int databasePort;

    @Override
    ServiceProcess startFirst() throws Exception {
        dataDirectory = Files.createTempDirectory("recordings-it-pg-");
        databasePort = ServiceProcess.freePort();
        return ServiceProcess.start("first", Map.of(
                "RECORDINGS_EMBEDDED_DB_DIR", dataDirectory.toString(),
                "RECORDINGS_EMBEDDED_DB_PORT", Integer.toString(databasePort)));
    }

    @Override
    ServiceProcess another(String name) throws Exception {
        return ServiceProcess.start(name, Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + databasePort + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "",
                "RECORDINGS_UPLOADS_ENABLED", "false"));
    }

    @Override
    void stopDatabase() throws Exception {
        try (var files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
