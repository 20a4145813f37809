package dev.recordings.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts an embedded PostgreSQL when no database is configured, and points the datasource at it.
 *
 * <p>A config source (rather than a CDI bean) because the datasource URL must be known before Quarkus builds the
 * reactive pool and before Flyway migrates, and config sources are the only hook that runs that early.
 */
public class EmbeddedPostgresConfigSourceFactory
        implements ConfigSourceFactory.ConfigurableConfigSourceFactory<EmbeddedDatabaseConfig> {

    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String SOURCE_NAME = "embedded-postgresql";
    /** Below application.properties (250) so that every explicit setting wins. */
    private static final int ORDINAL = 200;
    /** Only for its name, as the configuration reports it for a value (see {@link #inUse}). */
    private static final PropertiesConfigSource SOURCE = new PropertiesConfigSource(Map.of(), SOURCE_NAME, ORDINAL);

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresConfigSourceFactory.class);

    /** Whether the service runs on the embedded database: its URL came from this source, not from a setting. */
    public static boolean inUse(Config config) {
        String source = config.unwrap(SmallRyeConfig.class).getConfigValue(REACTIVE_URL).getSourceName();
        return SOURCE.getName().equals(source);
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context, EmbeddedDatabaseConfig config) {
        if (ConfigPhase.duringBuild() || isSet(context.getValue(REACTIVE_URL))) {
            return List.of();
        }
        if (!config.enabled()) {
            // A pod without a database URL must stop here, loudly, rather than start a private database or fail
            // later on a connection. Logging is not set up yet this early (a log line would wait in Quarkus's
            // start-up buffer), and System.exit would wait on Quarkus's own shutdown hook, which waits for this
            // start-up: hence stderr and halt, with nothing started yet to clean up.
            System.err.println("ERROR [dev.recordings.db] No database configured: set "
                    + "QUARKUS_DATASOURCE_REACTIVE_URL (or RECORDINGS_EMBEDDED_DB_ENABLED=true for an embedded "
                    + "PostgreSQL, as in dev mode). Stopping.");
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
        String directory = config.dir().orElse("").strip().replaceFirst("^~", System.getProperty("user.home"));
        EmbeddedDatabase database = EmbeddedDatabase.startOnce(directory, config.port());
        return List.of(new PropertiesConfigSource(Map.of(
                REACTIVE_URL, database.reactiveUrl(),
                "quarkus.datasource.username", EmbeddedDatabase.USER,
                "quarkus.datasource.password", ""), SOURCE_NAME, ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    /** One embedded server per JVM, whichever config phase asks first; stopped when the JVM exits. */
    static final class EmbeddedDatabase {
        static final String USER = "postgres";
        private static EmbeddedDatabase running;

        private final int port;

        private EmbeddedDatabase(int port) {
            this.port = port;
        }

        /** An empty directory means a throw-away database in a temporary directory, removed when it stops. */
        static synchronized EmbeddedDatabase startOnce(String directory, int port) {
            if (running == null) {
                OptionalInt alreadyRunning = directory.isBlank() ? OptionalInt.empty() : runningPort(directory);
                if (alreadyRunning.isPresent()) {
                    LOG.infof("Using the embedded PostgreSQL already running on %s", directory);
                    running = new EmbeddedDatabase(alreadyRunning.getAsInt());
                    // left running by a service that was killed: this service stops it when it stops
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAdopted(directory),
                            "embedded-postgresql-stop"));
                } else {
                    EmbeddedPostgres postgres = start(directory, port);
                    running = new EmbeddedDatabase(postgres.getPort());
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(postgres), "embedded-postgresql-stop"));
                }
            }
            return running;
        }

        /**
         * The port of a server that already runs on this data directory: after a dev-mode live reload the
         * application's classes are new, but the server started before the reload is still up.
         */
        private static OptionalInt runningPort(String directory) {
            Path pidFile = Path.of(directory).resolve("postmaster.pid");
            try {
                List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
                if (lines.size() > 3 && ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                        .map(ProcessHandle::isAlive).orElse(false)) {
                    return OptionalInt.of(Integer.parseInt(lines.get(3).strip()));
                }
            } catch (IOException | NumberFormatException e) {
                LOG.debugf("No usable postmaster.pid in %s: %s", directory, e.getMessage());
            }
            return OptionalInt.empty();
        }

        private static EmbeddedPostgres start(String configuredDirectory, int port) {
            boolean throwAway = configuredDirectory.isBlank();
            Path directory = null;
            try {
                directory = throwAway ? Files.createTempDirectory("recordings-pg-")
                        : Path.of(configuredDirectory);
                Files.createDirectories(directory);
                LOG.infof("Starting embedded PostgreSQL with its data in %s", directory);
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setDataDirectory(directory)
                        .setCleanDataDirectory(throwAway)
                        .setServerConfig("max_connections", "100")
                        // zonky tunes for throw-away test databases; an acknowledged batch must survive a crash
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on");
                if (port > 0) {
                    builder.setPort(port);
                }
                return builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + directory, e);
            }
        }

        /**
         * Stops a server this JVM did not start, by its postmaster's pid: SIGINT, PostgreSQL's fast shutdown (the
         * one pg_ctl uses), which does not wait for this JVM's own connections to end. Java signals a process only
         * with SIGTERM or SIGKILL, hence {@code kill}.
         */
        private static void stopAdopted(String directory) {
            try {
                List<String> lines = Files.readAllLines(Path.of(directory).resolve("postmaster.pid"));
                new ProcessBuilder("kill", "-INT", lines.get(0).strip()).inheritIO().start().waitFor();
            } catch (IOException | RuntimeException e) {
                LOG.warnf("The embedded PostgreSQL on %s was not stopped: %s", directory, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String reactiveUrl() {
            return "postgresql://localhost:" + port + "/postgres";
        }

        private static void stop(EmbeddedPostgres postgres) {
            try {
                postgres.close();
            } catch (IOException e) {
                LOG.warn("The embedded PostgreSQL did not stop cleanly", e);
            }
        }
    }
}
