package dev.recordings.http;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.recordings.config.RecordingsConfig;
import dev.recordings.error.ApiException;
import dev.recordings.error.ErrorAnswers;
import io.vertx.core.http.HttpMethod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns API requests away with 503 and Retry-After once too many are in flight. Without it an overloaded pod keeps
 * accepting work until its heap is gone (measured: at twice its capacity it ran out of memory and stopped
 * answering); with it, it keeps serving what it can and tells clients to come back.
 */
@ApplicationScoped
public class LoadShedding {

    private static final String COUNTED = LoadShedding.class.getName() + ".counted";

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int limit;
    private final ErrorAnswers errors;
    private final Counter shed;

    public LoadShedding(RecordingsConfig config, ErrorAnswers errors, MeterRegistry metrics) {
        this.limit = config.maxRequestsInFlight();
        this.errors = errors;
        this.shed = Counter.builder("recordings.load_shedding.refused").description("Requests turned away with 503 "
                + "because too many were in flight on this replica").register(metrics);
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(RouteOrder.LOAD_SHEDDING).handler(this::admit);
        // MCP's requests ("/mcp/*" matches /mcp too), but not its GET streams: they stay open as live streams do
        // (McpGuard caps them per key)
        for (HttpMethod method : new HttpMethod[] { HttpMethod.POST, HttpMethod.DELETE }) {
            router.route("/mcp/*").method(method).order(RouteOrder.LOAD_SHEDDING).handler(this::admit);
        }
    }

    private void admit(RoutingContext context) {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            shed.increment();
            errors.send(context, ApiException.busy());
            return;
        }
        AtomicBoolean counted = new AtomicBoolean(true);
        context.put(COUNTED, counted);
        context.addEndHandler(done -> leave(counted));
        context.next();
    }

    /**
     * Stops counting a request that has become a live stream: it stays open for as long as its client watches,
     * costs little while it does, and has its own limit.
     */
    public void release(RoutingContext context) {
        AtomicBoolean counted = context.get(COUNTED);
        if (counted != null) {
            leave(counted);
        }
    }

    private void leave(AtomicBoolean counted) {
        if (counted.compareAndSet(true, false)) {
            inFlight.decrementAndGet();
        }
    }
}
