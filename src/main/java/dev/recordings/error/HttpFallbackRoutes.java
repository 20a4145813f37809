package dev.recordings.error;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recordings.json.JsonBodyReader;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The answers given before or after the REST layer: an unknown path anywhere, and a body over the size limit
 * announced by its Content-Length. Both keep the contract's error body.
 */
@ApplicationScoped
public class HttpFallbackRoutes {

    private final ObjectMapper mapper;

    public HttpFallbackRoutes(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::rejectOversizedBody);
        // A chunked body has no Content-Length: it is refused only once it has grown past the limit.
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            if (context.statusCode() == 413) {
                context.response().putHeader(HttpHeaderNames.CONNECTION, "close");
                send(context, ApiException.payloadTooLarge());
            } else if (isPoolBusy(context.failure())) {
                // an overloaded pool seen while authenticating, before the REST layer's mappers
                context.response().putHeader("Retry-After", "1");
                send(context, ApiException.serviceUnavailable("The service is busy; retry shortly.", Map.of()));
            } else {
                context.next();
            }
        });
        router.route().last().handler(context -> send(context, ApiException.notFound("Not found.")));
    }

    private void rejectOversizedBody(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && isOver(length)) {
            context.response().putHeader(HttpHeaderNames.CONNECTION, "close");
            send(context, ApiException.payloadTooLarge());
            return;
        }
        context.next();
    }

    private static boolean isPoolBusy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionPoolTooBusyException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOver(String length) {
        try {
            return Long.parseLong(length.strip()) > JsonBodyReader.MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void send(RoutingContext context, ApiException error) {
        if (context.response().ended()) {
            return;
        }
        String body;
        try {
            body = mapper.writeValueAsString(error.error());
        } catch (JsonProcessingException e) {
            body = "{}";
        }
        context.response().setStatusCode(error.status())
                .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .end(body);
    }
}
