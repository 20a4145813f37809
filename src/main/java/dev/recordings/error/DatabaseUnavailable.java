package dev.recordings.error;

import java.net.SocketException;
import java.sql.SQLException;
import java.util.Map;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Tells a database that cannot be reached (down, restarting, refusing connections, a connection cut mid-query, no
 * connection to be had in time) from a failure of the request itself: the first is answered 503 with Retry-After,
 * so clients retry, never 500.
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
            // SQLSTATE class 08: connection exceptions; 57P: the server shutting down or not yet accepting
            if (cause instanceof PgException pg && isUnavailableState(pg.getSqlState())) {
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

    private static boolean isUnavailableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    static ApiException answer() {
        return ApiException.serviceUnavailable("The database is unavailable; retry shortly.",
                Map.of("Retry-After", "2"));
    }
}
