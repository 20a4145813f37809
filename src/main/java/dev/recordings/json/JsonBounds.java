package dev.recordings.json;

import java.util.Map;
import java.util.function.ToIntFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Keeps a JSON answer under a size bound (an assistant's tool result, a webhook event) by cutting its texts. */
public final class JsonBounds {

    /** What ends a text that was cut. */
    public static final String CUT = " [cut]";

    private JsonBounds() {
    }

    /**
     * Halves the longest text field of {@code fields} until {@code size} (of the whole answer, which holds
     * {@code fields}) is at most {@code most}; true when anything was cut.
     */
    public static boolean cutTexts(ObjectNode fields, int most, ToIntFunction<Void> size) {
        boolean cut = false;
        while (size.applyAsInt(null) > most) {
            String longest = null;
            for (Map.Entry<String, JsonNode> field : fields.properties()) {
                if (field.getValue().isTextual() && field.getValue().textValue().length() > CUT.length()
                        && (longest == null
                                || field.getValue().textValue().length() > fields.get(longest).textValue().length())) {
                    longest = field.getKey();
                }
            }
            if (longest == null) {
                return cut;
            }
            String value = fields.get(longest).textValue();
            fields.put(longest, value.substring(0, value.length() / 2) + CUT);
            cut = true;
        }
        return cut;
    }
}
