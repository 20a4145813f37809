package dev.recordings.http;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is sane, else a new one), returns it in the
 * answer, and logs one line per request with method, route template, status and duration. The route template,
 * not the raw path, so that log lines group by endpoint.
 */
@ApplicationScoped
public class RequestLog {

    public static final String HEADER = "X-Request-Id";
    public static final String CONTEXT_KEY = "dev.recordings.request-id";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** Where Quarkus REST leaves the matched path template for observability. */
    private static final String PATH_TEMPLATE = "UrlPathTemplate";
    private static final Logger LOG = Logger.getLogger(RequestLog.class);

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::track);
    }

    private void track(RoutingContext context) {
        long started = System.nanoTime();
        String offered = context.request().getHeader(HEADER);
        String requestId = offered != null && SANE_ID.matcher(offered).matches() ? offered
                : UUID.randomUUID().toString();
        context.put(CONTEXT_KEY, requestId);
        context.response().putHeader(HEADER, requestId);
        context.addEndHandler(done -> LOG.infof("%s %s %d %.1fms request_id=%s", context.request().method(),
                route(context), context.response().getStatusCode(), (System.nanoTime() - started) / 1e6,
                requestId));
        context.next();
    }

    private static String route(RoutingContext context) {
        Object template = context.request() instanceof HttpServerRequestInternal internal
                ? internal.context().getLocal(PATH_TEMPLATE) : null;
        return template != null ? template.toString() : context.normalizedPath().startsWith("/q/")
                ? context.normalizedPath() : "(unmatched)";
    }

    /** The id of the request being served, for error answers and log lines. */
    public static String requestId(RoutingContext context) {
        Object id = context == null ? null : context.get(CONTEXT_KEY);
        return id != null ? id.toString() : UUID.randomUUID().toString();
    }
}
