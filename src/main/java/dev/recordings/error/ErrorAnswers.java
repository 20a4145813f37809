package dev.recordings.error;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.ext.web.RoutingContext;

/**
 * The one writer of error answers. Every failure becomes the contract's body here, whether it is answered inside
 * the REST layer (as a JAX-RS {@link Response}, see {@link ErrorMappers}) or before it, on the Vert.x router
 * (authentication, load shedding, body size, unknown routes), and every failure that is not the client's is
 * classified here once: an overloaded pool, an unreachable database, or an unexpected error.
 */
@ApplicationScoped
public class ErrorAnswers {

    /** Where the request's id is kept on the routing context (set by the request log, read for 500 answers). */
    public static final String REQUEST_ID = "dev.recordings.request-id";

    private static final Logger LOG = Logger.getLogger(ErrorAnswers.class);

    private final ObjectMapper mapper;

    public ErrorAnswers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The answer inside the REST layer. */
    public static Response response(ApiException error) {
        Response.ResponseBuilder builder = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error.error());
        error.headers().forEach(builder::header);
        return builder.build();
    }

    /** The answer on the Vert.x router, for checks that run before the REST layer; nothing once an answer started. */
    public void send(RoutingContext context, ApiException error) {
        if (context.response().ended() || context.response().headWritten()) {
            return;
        }
        String body;
        try {
            body = mapper.writeValueAsString(error.error());
        } catch (JsonProcessingException e) {
            body = "{}";
        }
        context.response().setStatusCode(error.status());
        error.headers().forEach(context.response()::putHeader);
        context.response().putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json").end(body);
    }

    /**
     * The answer to a failure that is not the client's: 503 with Retry-After when the pool is overloaded or the
     * database cannot be reached (see {@link #unavailable}); else a logged 500 naming only the request id.
     */
    public static ApiException forFailure(Throwable failure, RoutingContext context) {
        if (failure instanceof ApiException known) {
            return known;
        }
        ApiException unavailable = unavailable(failure);
        if (unavailable != null) {
            return unavailable;
        }
        String requestId = requestId(context);
        LOG.errorf(failure, "Unexpected failure, request id %s", requestId);
        return ApiException.serverError(requestId);
    }

    /**
     * 503 with Retry-After, so clients retry, when the pool's wait queue is full (the pod is overloaded) or the
     * database cannot be reached; null for any other failure.
     */
    public static ApiException unavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionPoolTooBusyException) {
                return ApiException.busy();
            }
        }
        if (DatabaseUnavailable.is(failure)) {
            LOG.warnf("Database unavailable, answered 503: %s", failure.toString());
            return DatabaseUnavailable.answer();
        }
        return null;
    }

    /** Whether the failure is the database's absence (unreachable, shutting down, read-only), not a statement's. */
    public static boolean isDatabaseUnavailable(Throwable failure) {
        return DatabaseUnavailable.is(failure);
    }

    /** The id of the request being served, for error answers and log lines. */
    public static String requestId(RoutingContext context) {
        Object id = context == null ? null : context.get(REQUEST_ID);
        return id != null ? id.toString() : UUID.randomUUID().toString();
    }
}
