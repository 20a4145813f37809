package dev.recordings.recording;

import static dev.recordings.recording.RecordingChanges.Field.*;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.json.JsonFields;
import dev.recordings.transcript.TranscriptSegments;

/** The contract's field rules for create, PUT and PATCH bodies. Read-only and unknown fields are ignored. */
public final class RecordingInput {

    /** Free text (notes, summaries, names) takes any length the 10 MiB body limit allows. */
    private static final int TEXT_LIMIT = Integer.MAX_VALUE;
    private static final Set<String> CREATE_FIELDS = Set.of("platform", "meeting_title", "meeting_url",
            "participants", "notes", "started_at");

    private RecordingInput() {
    }

    /** A create body: only the fields the contract lets a client choose at creation. */
    public static RecordingChanges forCreate(ObjectNode body) {
        RecordingChanges changes = new RecordingChanges();
        body.fieldNames().forEachRemaining(field -> {
            if (CREATE_FIELDS.contains(field)) {
                read(field, body.get(field), changes);
            }
        });
        if (!changes.has(PLATFORM)) {
            changes.put(PLATFORM, "desktop_audio");
        }
        return changes;
    }

    /** A PUT ({@code partial == false}, platform required) or PATCH body; fields left out keep their values. */
    public static RecordingChanges forUpdate(ObjectNode body, boolean partial) {
        if (!partial && !body.has("platform")) {
            throw JsonFields.required("platform");
        }
        RecordingChanges changes = new RecordingChanges();
        body.fieldNames().forEachRemaining(field -> read(field, body.get(field), changes));
        return changes;
    }

    private static void read(String field, JsonNode value, RecordingChanges changes) {
        switch (field) {
            case "recall_recording_id" -> changes.put(RECALL_RECORDING_ID, JsonFields.uuid(value, field, true));
            case "platform" -> changes.put(PLATFORM, JsonFields.choice(value, field, false, Recording.PLATFORMS));
            case "meeting_title" -> changes.put(MEETING_TITLE, JsonFields.string(value, field, true, true, Recording.TITLE_MAX));
            case "meeting_url" -> changes.put(MEETING_URL, JsonFields.url(value, field, true, Recording.URL_MAX));
            case "duration_seconds" -> changes.put(DURATION_SECONDS,
                    toInt(JsonFields.integer(value, field, true, 0, Integer.MAX_VALUE)));
            case "status" -> changes.put(STATUS, JsonFields.choice(value, field, false, Recording.STATUSES));
            case "notes" -> changes.put(NOTES, JsonFields.string(value, field, true, true, TEXT_LIMIT));
            case "error_message" -> changes.put(ERROR_MESSAGE, JsonFields.string(value, field, true, true, TEXT_LIMIT));
            case "video_url" -> changes.put(VIDEO_URL, JsonFields.url(value, field, true, Recording.URL_MAX));
            case "video_size_bytes" -> changes.put(VIDEO_SIZE_BYTES,
                    JsonFields.integer(value, field, true, 0, Long.MAX_VALUE));
            case "participants" -> changes.put(PARTICIPANTS, participants(value).toString());
            case "transcript_segments" -> {
                changes.replaceTranscript(
                        TranscriptSegments.validate(JsonFields.list(value, field, false), field).toString());
            }
            case "summary" -> changes.put(SUMMARY, JsonFields.string(value, field, true, true, TEXT_LIMIT));
            case "extracted_tasks" -> changes.put(EXTRACTED_TASKS, tasks(value).toString());
            case "tasks_generated_at" -> changes.put(TASKS_GENERATED_AT, JsonFields.dateTime(value, field, true));
            case "summary_generated_at" -> changes.put(SUMMARY_GENERATED_AT, JsonFields.dateTime(value, field, true));
            case "started_at" -> changes.put(STARTED_AT, JsonFields.dateTime(value, field, false));
            case "completed_at" -> changes.put(COMPLETED_AT, JsonFields.dateTime(value, field, true));
            default -> {
                // read-only and unknown fields are ignored, as the contract says
            }
        }
    }

    private static ArrayNode participants(JsonNode value) {
        ArrayNode input = JsonFields.list(value, "participants", false);
        ArrayNode participants = JsonNodeFactory.instance.arrayNode(input.size());
        for (int index = 0; index < input.size(); index++) {
            participants.add(JsonFields.string(input.get(index), "participants__" + index, false, true, TEXT_LIMIT));
        }
        return participants;
    }

    private static ArrayNode tasks(JsonNode value) {
        ArrayNode input = JsonFields.list(value, "extracted_tasks", false);
        ArrayNode tasks = JsonNodeFactory.instance.arrayNode(input.size());
        for (int index = 0; index < input.size(); index++) {
            String attr = "extracted_tasks__" + index;
            ObjectNode task = JsonFields.object(input.get(index), attr);
            if (!task.has("title")) {
                throw JsonFields.required(attr + "__title");
            }
            ObjectNode stored = JsonNodeFactory.instance.objectNode();
            stored.put("title", JsonFields.string(task.get("title"), attr + "__title", false, false, TEXT_LIMIT));
            String description = task.has("description")
                    ? JsonFields.string(task.get("description"), attr + "__description", false, true, TEXT_LIMIT)
                    : "";
            stored.put("description", description);
            stored.put("assignee", JsonFields.string(task.get("assignee"), attr + "__assignee", true, true,
                    TEXT_LIMIT));
            tasks.add(stored);
        }
        return tasks;
    }

    private static Integer toInt(Long value) {
        return value == null ? null : value.intValue();
    }
}
