package dev.recordings.mcp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.error.ApiException;
import dev.recordings.error.ErrorAnswers;
import dev.recordings.json.JsonBounds;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * What a tool answers: one JSON object as text (and as structured content), never more than {@link #MOST_BYTES}
 * of text, so that it fits a model's context; a refusal as a tool error carrying the REST API's error body.
 */
final class ToolAnswers {

    private static final Logger LOG = Logger.getLogger(ToolAnswers.class);

    /** The contract's bound on a tool result's text. */
    static final int MOST_BYTES = 64 * 1024;

    private final ObjectMapper mapper;

    ToolAnswers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ToolResponse success(ObjectNode unbounded) {
        ObjectNode answer = bounded(unbounded);
        String text = text(answer);
        @SuppressWarnings("unchecked")
        Map<String, Object> structured = mapper.convertValue(answer, Map.class);
        return new ToolResponse(false, List.of(new TextContent(text)), structured, null);
    }

    /** A refusal in the REST API's words (its error body); an unexpected failure is logged and named only. */
    ToolResponse failure(Throwable failure, RoutingContext request) {
        ApiException error = failure instanceof ApiException known ? known
                : ErrorAnswers.forFailure(failure, request);
        if (!(failure instanceof ApiException)) {
            LOG.debugf("A tool call failed: %s", failure.toString());
        }
        return ToolResponse.error(text(bounded(mapper.valueToTree(error.error()))));
    }

    /**
     * The answer cut to fit (see {@link JsonBounds#fit}), saying so ({@code "truncated": true}, and for a list of
     * results a note of how many fit).
     */
    ObjectNode bounded(ObjectNode answer) {
        if (size(answer) <= MOST_BYTES) {
            return answer;
        }
        ObjectNode fitted = (ObjectNode) JsonBounds.fit(answer, MOST_BYTES - 300);
        fitted.put("truncated", true);
        if (answer.get("results") instanceof ArrayNode whole && fitted.get("results") instanceof ArrayNode kept) {
            fitted.put("note", "Only the first " + kept.size() + " of " + whole.size() + " results fit in 64 KB; "
                    + "ask for the rest with a higher offset or a smaller limit.");
        }
        return fitted;
    }

    int size(JsonNode answer) {
        return text(answer).getBytes(StandardCharsets.UTF_8).length;
    }

    private String text(JsonNode answer) {
        try {
            return mapper.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
