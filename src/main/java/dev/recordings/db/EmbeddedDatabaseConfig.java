package dev.recordings.db;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The embedded PostgreSQL (environment variables RECORDINGS_EMBEDDED_DB_…). Read by the config source that starts
 * it, before the application exists, so it is a mapping of its own rather than part of {@code RecordingsConfig}.
 */
@ConfigMapping(prefix = "recordings.embedded-db")
public interface EmbeddedDatabaseConfig {

    /**
     * Start an embedded PostgreSQL when QUARKUS_DATASOURCE_REACTIVE_URL is not set. Off in production: a service
     * without a database URL stops at start-up saying so. On in dev mode and in the tests.
     */
    @WithDefault("false")
    boolean enabled();

    /** Where the embedded PostgreSQL keeps its data; empty: a temporary directory, deleted at exit. */
    Optional<String> dir();

    /** The embedded PostgreSQL's port; 0 picks a free one. */
    @WithDefault("0")
    int port();
}
