package dev.recordings.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The size bound of tool results and webhook events: a pure rule, no application. */
class JsonBoundsTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int BOUND = 64 * 1024;

    @Test
    void whatFitsIsKeptAsItIs() {
        ObjectNode small = JSON.objectNode().put("id", "r1").put("title", "Kick-off");
        assertSame(small, JsonBounds.fit(small, BOUND));
    }

    @Test
    void fieldsShareTheRoomSmallOnesWholeAndTheBigOnesCut() {
        ObjectNode recording = JSON.objectNode().put("id", "r1").put("status", "ready").put("segment_count", 12);
        ArrayNode participants = recording.putArray("participants");
        for (int index = 0; index < 4000; index++) {
            participants.add(index + " " + "p".repeat(250));
        }
        recording.put("summary", "s".repeat(500_000));
        ArrayNode tasks = recording.putArray("extracted_tasks");
        for (int index = 0; index < 500; index++) {
            tasks.addObject().put("title", "t".repeat(1000)).put("description", "d".repeat(10_000));
        }
        JsonNode fitted = JsonBounds.fit(recording, BOUND);
        assertTrue(JsonBounds.size(fitted) <= BOUND, JsonBounds.size(fitted) + " bytes");
        assertEquals("r1", fitted.get("id").textValue());
        assertEquals("ready", fitted.get("status").textValue());
        assertEquals(12, fitted.get("segment_count").intValue());
        assertTrue(fitted.get("participants").size() > 10);
        assertEquals("0 " + "p".repeat(250), fitted.get("participants").get(0).textValue(), "elements kept whole");
        assertTrue(fitted.get("summary").textValue().endsWith(JsonBounds.CUT));
        assertTrue(fitted.get("extracted_tasks").size() >= 1);
    }

    @Test
    void aSingleElementTooLargeIsCutRatherThanDropped() {
        ArrayNode results = JSON.arrayNode();
        results.addObject().put("notes", "n".repeat(200_000));
        results.addObject().put("notes", "second");
        JsonNode fitted = JsonBounds.fit(results, 1000);
        assertEquals(1, fitted.size());
        assertTrue(JsonBounds.size(fitted) <= 1000);
        assertTrue(fitted.get(0).get("notes").textValue().endsWith(JsonBounds.CUT));
    }

    @Test
    void aCutTextNeverSplitsACharacter() {
        JsonNode emoji = JSON.textNode("\uD83D\uDE00".repeat(10_000));
        for (int bound = 20; bound < 200; bound++) {
            String cut = JsonBounds.fit(emoji, bound).textValue();
            assertTrue(JsonBounds.size(JSON.textNode(cut)) <= bound);
            String kept = cut.substring(0, cut.length() - JsonBounds.CUT.length());
            assertEquals(0, kept.length() % 2, "a surrogate pair was split at bound " + bound);
        }
    }

    @Test
    void textsArraysAndObjectsOfAnyShapeFitTheirBound() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            JsonNode value = randomContainer(random, 4);
            int bound = 1000 + random.nextInt(4000);
            JsonNode fitted = JsonBounds.fit(value, bound);
            assertTrue(JsonBounds.size(fitted) <= bound,
                    "round " + round + ": " + JsonBounds.size(fitted) + " > " + bound);
        }
    }

    private static JsonNode randomContainer(Random random, int depth) {
        return random.nextBoolean() ? randomArray(random, depth) : randomObject(random, depth);
    }

    private static JsonNode randomValue(Random random, int depth) {
        int kind = depth == 0 ? random.nextInt(3) : random.nextInt(5);
        return switch (kind) {
            case 0 -> JSON.textNode("x".repeat(random.nextInt(3000)) + "\u00e9\"\\");
            case 1 -> JSON.numberNode(random.nextInt());
            case 2 -> JSON.booleanNode(random.nextBoolean());
            case 3 -> randomArray(random, depth);
            default -> randomObject(random, depth);
        };
    }

    private static ArrayNode randomArray(Random random, int depth) {
        ArrayNode array = JSON.arrayNode();
        for (int index = random.nextInt(30); index > 0; index--) {
            array.add(randomValue(random, depth - 1));
        }
        return array;
    }

    private static ObjectNode randomObject(Random random, int depth) {
        ObjectNode object = JSON.objectNode();
        for (int index = random.nextInt(12); index > 0; index--) {
            object.set("f" + index, randomValue(random, depth - 1));
        }
        return object;
    }
}
