package dev.recordings.db;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * Creates the reactive pool the service runs on (Quarkus calls it with the configured options) and, from the same
 * options, a control pool of one connection for the checks that must not wait behind requests: the key cache's
 * version check (revocation within a second even when requests hold every connection) and ending this replica's
 * sessions on a read-only server. Every
 * connection carries this replica's own {@code application_name}, so that {@link ReadOnlyServer} can end exactly
 * this replica's idle sessions on a server that turned read-only.
 */
@Singleton
public class DatabasePools implements PgPoolCreator {

    /** This replica's name for its database sessions. */
    public static final String APPLICATION_NAME = "desktop-recordings-" + UUID.randomUUID().toString().substring(0, 8);

    private volatile Input input;
    private io.vertx.mutiny.sqlclient.Pool control;

    @Override
    public io.vertx.sqlclient.Pool create(Input given) {
        this.input = given;
        return PgBuilder.pool().with(given.poolOptions()).connectingTo(named()).using(given.vertx()).build();
    }

    /** The control pool: one connection, with a short wait (a check that cannot have it soon fails and runs again). */
    public synchronized io.vertx.mutiny.sqlclient.Pool control() {
        if (control == null) {
            if (input == null) {
                throw new IllegalStateException("the database pool is not created yet");
            }
            control = io.vertx.mutiny.sqlclient.Pool.newInstance(PgBuilder.pool()
                    .with(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(4).setName("control")
                            .setConnectionTimeout(2))
                    .connectingTo(named()).using(input.vertx()).build());
        }
        return control;
    }

    @PreDestroy
    synchronized void close() {
        if (control != null) {
            control.closeAndForget();
        }
    }

    private List<SqlConnectOptions> named() {
        return input.pgConnectOptionsList().stream().<SqlConnectOptions>map(options -> new PgConnectOptions(options)
                .addProperty("application_name", APPLICATION_NAME)).toList();
    }
}
