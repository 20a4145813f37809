package dev.recordings.http;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.recordings.error.ErrorAnswers;
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
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger LOG = Logger.getLogger(RequestLog.class);
    private static final String[] FIELDS = { "request_id", "method", "route", "status", "duration_ms" };

    void register(@Observes Router router) {
        router.route().order(RouteOrder.REQUEST_LOG).handler(this::track);
    }

    private void track(RoutingContext context) {
        long started = System.nanoTime();
        String offered = context.request().getHeader(HEADER);
        String requestId = offered != null && SANE_ID.matcher(offered).matches() ? offered
                : UUID.randomUUID().toString();
        context.put(ErrorAnswers.REQUEST_ID, requestId);
        context.response().putHeader(HEADER, requestId);
        context.addEndHandler(done -> log(context, requestId, System.nanoTime() - started));
        context.next();
    }

    /** The fields also go to the MDC, so JSON logs carry them as fields, not only in the message. */
    private static void log(RoutingContext context, String requestId, long nanos) {
        String method = context.request().method().name();
        String route = route(context);
        int status = context.response().getStatusCode();
        String millis = millis(nanos);
        MDC.put("request_id", requestId);
        MDC.put("method", method);
        MDC.put("route", route);
        MDC.put("status", Integer.toString(status));
        MDC.put("duration_ms", millis);
        try {
            LOG.info(method + " " + route + " " + status + " " + millis + "ms request_id=" + requestId);
        } finally {
            for (String field : FIELDS) {
                MDC.remove(field);
            }
        }
    }

    /**
     * Milliseconds with one decimal, written by hand: java.util.Formatter builds its DecimalFormatSymbols on every
     * call, which was about 1 % of the service's CPU per append (bench/profile-perf-2026-12-02.txt).
     */
    static String millis(long nanos) {
        long tenths = Math.round(nanos / 100_000.0);
        return tenths / 10 + "." + tenths % 10;
    }

    private static String route(RoutingContext context) {
        Object template = context.get(RouteTemplate.CONTEXT_KEY);
        return template != null ? template.toString() : context.normalizedPath().startsWith("/q/")
                ? context.normalizedPath() : "(unmatched)";
    }
}
