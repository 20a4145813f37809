package dev.recordings.http;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recordings.config.RecordingsConfig;
import dev.recordings.error.ApiException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns API requests away with 503 and Retry-After once too many are in flight. Without it an overloaded pod keeps
 * accepting work until its heap is gone (measured: at twice its capacity it ran out of memory and stopped
 * answering); with it, it keeps serving what it can and tells clients to come back.
 */
@ApplicationScoped
public class LoadShedding {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int limit;
    private final ObjectMapper mapper;

    public LoadShedding(RecordingsConfig config, ObjectMapper mapper) {
        this.limit = config.maxRequestsInFlight();
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(Integer.MIN_VALUE + 2).handler(this::admit);
    }

    private void admit(RoutingContext context) {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            ApiException busy = ApiException.serviceUnavailable("The service is busy; retry shortly.", Map.of());
            String body;
            try {
                body = mapper.writeValueAsString(busy.error());
            } catch (JsonProcessingException e) {
                body = "{}";
            }
            context.response().setStatusCode(503)
                    .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaderNames.RETRY_AFTER, "1")
                    .end(body);
            return;
        }
        context.addEndHandler(done -> inFlight.decrementAndGet());
        context.next();
    }
}
