package dev.recordings.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.json.JsonFields;

/**
 * Validates transcript segments and writes them in the one shape that is stored: {@code timestamp, speaker, text,
 * confidence, is_final} always, {@code id} only when the client gave one. Unknown keys are dropped.
 */
public final class TranscriptSegments {

    public static final int MAX_ID_LENGTH = 128;
    private static final int MAX_TEXT_LENGTH = 1_000_000;

    private TranscriptSegments() {
    }

    /** The segments as stored; the first invalid one fails them all. */
    public static ArrayNode validate(ArrayNode segments, String attr) {
        ArrayNode normalized = JsonNodeFactory.instance.arrayNode(segments.size());
        for (int index = 0; index < segments.size(); index++) {
            normalized.add(segment(segments.get(index), attr + "__" + index));
        }
        return normalized;
    }

    private static ObjectNode segment(JsonNode value, String attr) {
        ObjectNode input = JsonFields.object(value, attr);
        ObjectNode segment = JsonNodeFactory.instance.objectNode();
        segment.set("timestamp", JsonFields.number(input.get("timestamp"), attr + "__timestamp", true, 0,
                Double.MAX_VALUE));
        segment.put("speaker", JsonFields.string(input.get("speaker"), attr + "__speaker", true, true,
                MAX_TEXT_LENGTH));
        if (!input.has("text")) {
            throw JsonFields.required(attr + "__text");
        }
        segment.put("text", JsonFields.string(input.get("text"), attr + "__text", false, false, MAX_TEXT_LENGTH));
        segment.set("confidence", JsonFields.number(input.get("confidence"), attr + "__confidence", true, 0, 1));
        segment.put("is_final", JsonFields.bool(input.get("is_final"), attr + "__is_final", true));
        String id = JsonFields.string(input.get("id"), attr + "__id", true, true, MAX_ID_LENGTH);
        if (id != null) {
            segment.put("id", id);
        }
        return segment;
    }
}
