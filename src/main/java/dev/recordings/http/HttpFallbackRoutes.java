package dev.recordings.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.recordings.error.ApiException;
import dev.recordings.error.ErrorAnswers;
import dev.recordings.json.JsonBodyReader;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The answers given before or after the REST layer: an unknown path anywhere, and a body over the size limit
 * announced by its Content-Length. Both keep the contract's error body.
 */
@ApplicationScoped
public class HttpFallbackRoutes {

    private final ErrorAnswers errors;

    public HttpFallbackRoutes(ErrorAnswers errors) {
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.route().order(RouteOrder.REFUSE_AT_ONCE).handler(this::rejectOversizedBody);
        // A chunked body has no Content-Length: it is refused only once it has grown past the limit.
        router.route().order(RouteOrder.REFUSE_AT_ONCE).failureHandler(context -> {
            ApiException unavailable = ErrorAnswers.unavailable(context.failure());
            if (context.statusCode() == 413) {
                context.response().putHeader(HttpHeaderNames.CONNECTION, "close");
                send(context, tooLarge(context));
            } else if (unavailable != null) {
                // an overloaded pool or an unreachable database seen while authenticating, before the REST layer
                send(context, unavailable);
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
            send(context, tooLarge(context));
            return;
        }
        context.next();
    }

    /** An oversized body: 415 when its media type would be refused anyway (the contract checks that first). */
    private static ApiException tooLarge(RoutingContext context) {
        String contentType = context.request().getHeader(HttpHeaderNames.CONTENT_TYPE);
        return JsonBodyReader.isRefusedMediaType(contentType)
                ? ApiException.unsupportedMediaType(contentType == null ? "none" : contentType)
                : ApiException.payloadTooLarge();
    }

    private static boolean isOver(String length) {
        try {
            return Long.parseLong(length.strip()) > JsonBodyReader.MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void send(RoutingContext context, ApiException error) {
        errors.send(context, error);
    }
}
