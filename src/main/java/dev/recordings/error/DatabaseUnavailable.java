package dev.recordings.error;

import java.net.SocketException;
import java.sql.SQLException;
import java.util.Map;

import dev.recordings.db.ReadOnlyServer;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Tells a database that cannot be reached (down, restarting, refusing connections, a connection cut mid-query, no
 * connection to be had in time, a server that takes no writes: a standby or a demoted primary) from a failure of the
 * request itself: the first is answered 503 with Retry-After, so clients retry, never 500. A read-only answer is also
 * reported to {@link ReadOnlyServer}, whichever path meets it, so that the replica leaves that server.
 */
final class DatabaseUnavailable {

    /** Vert.x gives the pool's acquire timeout no type of its own, only this message. */
    private static final String ACQUIRE_TIMEOUT = "Timeout waiting for connection";

    private DatabaseUnavailable() {
    }

    static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // refused, reset by the server as it stops (seen in DatabaseOutageIT), or closed
            if (cause instanceof SocketException || cause instanceof ClosedConnectionException) {
                return true;
            }
            if (cause instanceof PgException pg && isUnavailableState(pg.getSqlState())) {
                if (ReadOnlyServer.READ_ONLY.equals(pg.getSqlState())) {
                    ReadOnlyServer.seen();
                }
                return true;
            }
            if (cause instanceof SQLException sql && isUnavailableState(sql.getSQLState())) {
                return true;
            }
            if (cause instanceof VertxException && ACQUIRE_TIMEOUT.equals(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Class 08 (connection exceptions), 57P (shutting down, cannot connect now), and a read-only server. */
    private static boolean isUnavailableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P")
                || ReadOnlyServer.READ_ONLY.equals(state));
    }

    static ApiException answer() {
        return ApiException.serviceUnavailable("The database is unavailable; retry shortly.",
                Map.of("Retry-After", "2"));
    }
}
