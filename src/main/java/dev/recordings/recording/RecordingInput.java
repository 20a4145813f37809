package dev.recordings.recording;

import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.recordings.json.JsonFields;
import dev.recordings.transcript.TranscriptSegments;

/**
 * Create, PUT and PATCH bodies read by the fields' declared rules ({@link RecordingFields}), and the rules too long to
 * declare inline (free text, participants, extracted tasks). Read-only and unknown fields are ignored.
 */
public final class RecordingInput {

    /** Free text (notes, summaries, names) takes any length the 10 MiB body limit allows. */
    private static final int TEXT_LIMIT = Integer.MAX_VALUE;
    /** The contract's bounds on the lists (docs/API.md): each element is shown in lists, events and tool results. */
    public static final int MOST_PARTICIPANTS = 1000;
    public static final int PARTICIPANT_MAX = 255;
    public static final int MOST_TASKS = 500;
    public static final int TASK_TITLE_MAX = 1000;
    public static final int TASK_DESCRIPTION_MAX = 10_000;
    public static final int TASK_ASSIGNEE_MAX = 255;

    /** Every writable field but the transcript, which the transcript package validates and stores. */
    private static final Map<String, RecordingFields.Field<?>> FIELDS = RecordingFields.ALL.stream()
            .filter(RecordingFields.Field::writable)
            .collect(Collectors.toUnmodifiableMap(RecordingFields.Field::name, field -> field));

    private static final String TRANSCRIPT_SEGMENTS = "transcript_segments";

    private RecordingInput() {
    }

    /** A create body: only the fields the contract lets a client choose at creation. */
    public static RecordingChanges forCreate(ObjectNode body) {
        RecordingChanges changes = new RecordingChanges();
        body.fields().forEachRemaining(entry -> {
            RecordingFields.Field<?> field = FIELDS.get(entry.getKey());
            if (field != null && field.input().atCreate()) {
                field.read(entry.getValue(), changes);
            }
        });
        if (!changes.hasPlatform()) {
            RecordingFields.PLATFORM.read(TextNode.valueOf(RecordingFields.DEFAULT_PLATFORM), changes);
        }
        return changes;
    }

    /** A PUT ({@code partial == false}, platform required) or PATCH body; fields left out keep their values. */
    public static RecordingChanges forUpdate(ObjectNode body, boolean partial) {
        if (!partial && !body.has(RecordingFields.PLATFORM.name())) {
            throw JsonFields.required(RecordingFields.PLATFORM.name());
        }
        RecordingChanges changes = new RecordingChanges();
        body.fields().forEachRemaining(entry -> {
            RecordingFields.Field<?> field = FIELDS.get(entry.getKey());
            if (field != null) {
                field.read(entry.getValue(), changes);
            } else if (entry.getKey().equals(TRANSCRIPT_SEGMENTS)) {
                changes.replaceTranscript(TranscriptSegments.validate(
                        JsonFields.list(entry.getValue(), TRANSCRIPT_SEGMENTS, false), TRANSCRIPT_SEGMENTS).toString());
            }
        });
        return changes;
    }

    static String text(JsonNode value, String field) {
        return JsonFields.string(value, field, true, true, TEXT_LIMIT);
    }

    static ArrayNode participants(JsonNode value) {
        ArrayNode input = JsonFields.list(value, "participants", false, MOST_PARTICIPANTS);
        ArrayNode participants = JsonNodeFactory.instance.arrayNode(input.size());
        for (int index = 0; index < input.size(); index++) {
            participants.add(JsonFields.string(input.get(index), "participants__" + index, false, true,
                    PARTICIPANT_MAX));
        }
        return participants;
    }

    static ArrayNode tasks(JsonNode value) {
        ArrayNode input = JsonFields.list(value, "extracted_tasks", false, MOST_TASKS);
        ArrayNode tasks = JsonNodeFactory.instance.arrayNode(input.size());
        for (int index = 0; index < input.size(); index++) {
            String attr = "extracted_tasks__" + index;
            ObjectNode task = JsonFields.object(input.get(index), attr);
            if (!task.has("title")) {
                throw JsonFields.required(attr + "__title");
            }
            ObjectNode stored = JsonNodeFactory.instance.objectNode();
            stored.put("title", JsonFields.string(task.get("title"), attr + "__title", false, false,
                    TASK_TITLE_MAX));
            String description = task.has("description")
                    ? JsonFields.string(task.get("description"), attr + "__description", false, true,
                            TASK_DESCRIPTION_MAX)
                    : "";
            stored.put("description", description);
            stored.put("assignee", JsonFields.string(task.get("assignee"), attr + "__assignee", true, true,
                    TASK_ASSIGNEE_MAX));
            tasks.add(stored);
        }
        return tasks;
    }

    static Integer toInt(Long value) {
        return value == null ? null : value.intValue();
    }
}
