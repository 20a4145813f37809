package dev.recordings.json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Keeps a JSON answer under a size bound (an assistant's tool result, a webhook event), whatever it holds and in
 * time linear in its size (times its depth): every value's size is measured once per level, never in a loop that
 * shrinks and measures again.
 * <ul>
 * <li>an object shares the bound between its fields: the small ones are kept whole, and those larger than their
 * fair share are cut to it (so one huge field cannot crowd out the rest);</li>
 * <li>an array keeps its first elements whole while they fit, and drops the rest (its first element is cut rather
 * than dropped, so an answer is never empty for one huge element);</li>
 * <li>a text keeps its beginning and ends in {@link #CUT}.</li>
 * </ul>
 */
public final class JsonBounds {

    /** What ends a text that was cut. */
    public static final String CUT = " [cut]";
    /** Below this many bytes a part of a value says nothing: it is left out rather than cut. */
    private static final int SMALLEST_PART = 16;
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final JsonFactory FACTORY = COMPACT.getFactory();

    private JsonBounds() {
    }

    /** The size of the value's compact JSON text in UTF-8 bytes, as the mapper writes it. */
    public static int size(JsonNode value) {
        ByteCounter counter = new ByteCounter();
        try (JsonGenerator generator = FACTORY.createGenerator(counter)) {
            COMPACT.writeTree(generator, value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return counter.count;
    }

    /** The value itself when its JSON is at most {@code most} bytes; else a copy cut to fit them. */
    public static JsonNode fit(JsonNode value, int most) {
        int size = size(value);
        if (size <= most) {
            return value;
        }
        if (value.isTextual()) {
            return text(value.textValue(), most);
        }
        if (value instanceof ArrayNode array) {
            return array(array, most);
        }
        if (value instanceof ObjectNode object) {
            return object(object, most);
        }
        return value;
    }

    private static ArrayNode array(ArrayNode array, int most) {
        ArrayNode kept = JsonNodeFactory.instance.arrayNode();
        int used = 2;
        for (JsonNode element : array) {
            int comma = kept.isEmpty() ? 0 : 1;
            int cost = size(element) + comma;
            if (used + cost <= most) {
                kept.add(element);
                used += cost;
                continue;
            }
            if (kept.isEmpty() && most - used >= SMALLEST_PART) {
                JsonNode cut = fit(element, most - used);
                if (size(cut) <= most - used) {
                    kept.add(cut);
                }
            }
            break;
        }
        return kept;
    }

    private static ObjectNode object(ObjectNode object, int most) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        object.properties().forEach(field -> {
            names.add(field.getKey());
            sizes.put(field.getKey(), size(TextNode.valueOf(field.getKey())) + 1 + size(field.getValue()));
        });
        int remaining = most - 2 - Math.max(0, names.size() - 1);
        List<String> smallestFirst = new ArrayList<>(names);
        smallestFirst.sort(Comparator.comparingInt(sizes::get));
        Map<String, JsonNode> kept = new LinkedHashMap<>();
        int left = smallestFirst.size();
        for (String name : smallestFirst) {
            int share = Math.max(0, remaining / left);
            left--;
            int cost = sizes.get(name);
            JsonNode value = object.get(name);
            if (cost > share) {
                int keyCost = size(TextNode.valueOf(name)) + 1;
                int budget = share - keyCost;
                JsonNode cut = budget >= SMALLEST_PART ? fit(value, budget) : emptyLike(value);
                // a container whose own keys and numbers alone pass its share is left empty
                value = size(cut) > budget ? emptyLike(value) : cut;
                cost = keyCost + size(value);
            }
            kept.put(name, value);
            remaining -= cost;
        }
        ObjectNode fitted = JsonNodeFactory.instance.objectNode();
        names.forEach(name -> fitted.set(name, kept.get(name)));
        return fitted;
    }

    /** What stands for a value that has no room at all: its kind, empty. */
    private static JsonNode emptyLike(JsonNode value) {
        if (value.isTextual()) {
            return TextNode.valueOf("");
        }
        if (value.isArray()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (value.isObject()) {
            return JsonNodeFactory.instance.objectNode();
        }
        return value;
    }

    /** The longest beginning of the text that, with {@link #CUT}, fits: found by halving, each step one measure. */
    private static TextNode text(String text, int most) {
        int low = 0;
        int high = Math.min(text.length(), Math.max(0, most));
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (size(TextNode.valueOf(prefix(text, middle) + CUT)) <= most) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        String cut = prefix(text, low) + CUT;
        return TextNode.valueOf(size(TextNode.valueOf(cut)) <= most ? cut : "");
    }

    /** The first {@code length} chars, one less where that would split a surrogate pair. */
    private static String prefix(String text, int length) {
        int end = length > 0 && length < text.length() && Character.isHighSurrogate(text.charAt(length - 1))
                ? length - 1 : length;
        return text.substring(0, end);
    }

    private static final class ByteCounter extends OutputStream {
        int count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }
}
