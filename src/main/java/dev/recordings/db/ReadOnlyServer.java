package dev.recordings.db;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A server that refuses writes (a standby, a demoted primary: SQLSTATE 25006) is an outage, and the pool must not
 * keep talking to it: a failover may already point the database's address at a new primary. The pool gives no way
 * to drop one connection, so when a read-only answer was seen, this replica asks the server to end its own idle
 * sessions (by their {@code application_name}); the pool then opens new ones, which reach whatever server now
 * answers. Sessions busy with a request finish it, and are ended on a later round if they meet the refusal again.
 */
@ApplicationScoped
public class ReadOnlyServer {

    /** SQLSTATE read_only_sql_transaction. */
    public static final String READ_ONLY = "25006";
    private static final Duration ROUND = Duration.ofMillis(500);
    private static final Logger LOG = Logger.getLogger(ReadOnlyServer.class);
    private static final AtomicBoolean SEEN = new AtomicBoolean();

    private final DatabasePools pools;
    private final Vertx vertx;
    private long timer = -1;

    public ReadOnlyServer(DatabasePools pools, Vertx vertx) {
        this.pools = pools;
        this.vertx = vertx;
    }

    /** A statement was refused as read-only: the sessions go on the next round. */
    public static void seen() {
        SEEN.set(true);
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(ROUND.toMillis(), tick -> {
            if (SEEN.getAndSet(false)) {
                endIdleSessions().subscribe().with(ended -> LOG.warnf("The database refused a write as read-only: "
                        + "ended %d idle sessions of this replica, so that new ones reach a writable server", ended),
                        failure -> LOG.debugf("Ending the read-only server's sessions failed: %s", failure));
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    Uni<Integer> endIdleSessions() {
        return pools.control().preparedQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                + "FROM pg_stat_activity WHERE application_name = $1 AND usename = current_user "
                + "AND pid <> pg_backend_pid() AND state = 'idle'")
                .execute(Tuple.of(DatabasePools.APPLICATION_NAME)).map(rows -> rows.iterator().next().getInteger(0));
    }
}
