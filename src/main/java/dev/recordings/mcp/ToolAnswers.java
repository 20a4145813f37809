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

    ToolResponse success(ObjectNode answer) {
        String text = text(answer);
        @SuppressWarnings("unchecked")
        Map<String, Object> structured = mapper.convertValue(answer, Map.class);
        return new ToolResponse(false, List.of(new TextContent(text)), structured, null);
    }

    /** A refusal in the REST API's words (its error body); an unexpected failure is logged and named only. */
    ToolResponse failure(Throwable failure) {
        ApiException error = failure instanceof ApiException known ? known : ErrorAnswers.forFailure(failure, null);
        if (!(failure instanceof ApiException)) {
            LOG.debugf("A tool call failed: %s", failure.toString());
        }
        return ToolResponse.error(text(mapper.valueToTree(error.error())));
    }

    /**
     * Cuts the answer's {@code results} from the end until it fits, and says so ({@code "truncated": true} and a
     * note); an answer without results that is still too long has its longest texts cut instead.
     */
    ObjectNode bounded(ObjectNode answer) {
        if (size(answer) <= MOST_BYTES) {
            return answer;
        }
        JsonNode results = answer.get("results");
        if (results instanceof ArrayNode list) {
            int whole = list.size();
            while (!list.isEmpty() && size(answer) > MOST_BYTES - 200) {
                list.remove(list.size() - 1);
            }
            answer.put("truncated", true);
            answer.put("note", "Only the first " + list.size() + " of " + whole + " results fit in 64 KB; ask for "
                    + "the rest with a higher offset or a smaller limit.");
            return answer;
        }
        JsonBounds.cutTexts(answer, MOST_BYTES - 200, nothing -> size(answer));
        answer.put("truncated", true);
        return answer;
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
