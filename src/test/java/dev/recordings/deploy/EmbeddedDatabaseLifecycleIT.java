package dev.recordings.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The packaged service and its embedded PostgreSQL, as an operator meets them: switched off without a database URL
 * it stops at once saying which setting is missing; killed with -9 it leaves its database running, the next start
 * uses it, and a clean stop of that start stops the database too.
 */
class EmbeddedDatabaseLifecycleIT {

    @Test
    void withoutTheEmbeddedDatabaseAndWithoutAUrlTheServiceStopsSayingSo() throws Exception {
        assertStopsSayingSo(Map.of("RECORDINGS_EMBEDDED_DB_ENABLED", "false"));
    }

    @Test
    void inProductionTheEmbeddedDatabaseIsOffUnlessAskedFor() throws Exception {
        assertStopsSayingSo(Map.of());
    }

    private static void assertStopsSayingSo(Map<String, String> environment) throws Exception {
        File log = File.createTempFile("recordings-misconfigured-", ".log");
        ProcessBuilder builder = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-jar",
                System.getProperty("quarkus.app.jar", "target/quarkus-app/quarkus-run.jar"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().remove("RECORDINGS_EMBEDDED_DB_ENABLED");
        builder.environment().remove("QUARKUS_DATASOURCE_REACTIVE_URL");
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(ServiceProcess.freePort()));
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running; see " + log);
        assertEquals(1, process.exitValue());
        List<String> lines = Files.readAllLines(log.toPath());
        assertEquals(1, lines.stream().filter(line -> line.contains("set QUARKUS_DATASOURCE_REACTIVE_URL")).count(),
                String.join("\n", lines));
    }

    @Test
    void aRestartAfterKill9UsesTheRunningDatabaseAndACleanStopStopsIt() throws Exception {
        Path data = Files.createTempDirectory("recordings-lifecycle-pg-");
        Map<String, String> environment = Map.of("RECORDINGS_EMBEDDED_DB_DIR", data.toString());
        ServiceProcess killed = ServiceProcess.start("killed", environment);
        long postgres = postmasterPid(data);
        assertTrue(ProcessHandle.of(postgres).map(ProcessHandle::isAlive).orElse(false));
        killed.kill();
        assertTrue(ProcessHandle.of(postgres).map(ProcessHandle::isAlive).orElse(false),
                "the database outlives a kill -9 of the service");

        ServiceProcess restarted = ServiceProcess.start("restarted", environment);
        assertEquals(postgres, postmasterPid(data), "the restart uses the running database");
        assertTrue(Files.readString(restarted.log.toPath()).contains("Using the embedded PostgreSQL already running"));
        restarted.terminate();
        assertTrue(restarted.awaitExit(Duration.ofSeconds(40)));

        Instant deadline = Instant.now().plusSeconds(30);
        while (ProcessHandle.of(postgres).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(Instant.now().isBefore(deadline), "the database still runs after a clean stop");
            Thread.sleep(100);
        }
        assertFalse(Files.exists(data.resolve("postmaster.pid")), "stopped cleanly, its pid file removed");
    }

    private static long postmasterPid(Path data) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve("postmaster.pid")));
        return Long.parseLong(lines.get(0).strip());
    }
}
