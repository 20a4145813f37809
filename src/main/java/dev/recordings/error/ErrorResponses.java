package dev.recordings.error;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes an error answer on the Vert.x level, for the checks that run before the REST layer (authentication, load
 * shedding, body size, unknown routes); {@link ErrorMappers} does the same inside it.
 */
@ApplicationScoped
public class ErrorResponses {

    private final ObjectMapper mapper;

    public ErrorResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

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
}
