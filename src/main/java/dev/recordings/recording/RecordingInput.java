package dev.recordings.recording;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.recordings.json.JsonFields;
import dev.recordings.transcript.TranscriptSegments;

/**
 * The contract's field rules for create, PUT and PATCH bodies: each field a client may write, declared once with its
 * rule and where it goes in the recording. Read-only and unknown fields are ignored.
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

    /** A field a client may write: its name in the API, whether a create takes it, its rule and its place. */
    public record Field<T>(String name, boolean atCreate, Rule<T> rule, BiConsumer<Recording, T> target) {

        void read(JsonNode value, RecordingChanges into) {
            T valid = rule.check(value, name);
            into.add(this, recording -> target.accept(recording, valid));
        }
    }

    /** A field's validation: the value as stored, or a 400 naming the field. */
    @FunctionalInterface
    public interface Rule<T> {
        T check(JsonNode value, String field);
    }

    static final Field<String> PLATFORM = new Field<>("platform", true,
            (value, field) -> JsonFields.choice(value, field, false, Recording.PLATFORMS), (r, v) -> r.platform = v);

    /** Every writable field but the transcript, which the transcript package validates and stores. */
    private static final Map<String, Field<?>> FIELDS = Stream.of(
            new Field<>("recall_recording_id", false, (value, field) -> JsonFields.uuid(value, field, true),
                    (Recording r, UUID v) -> r.recallRecordingId = v),
            PLATFORM,
            new Field<>("meeting_title", true,
                    (value, field) -> JsonFields.string(value, field, true, true, Recording.TITLE_MAX),
                    (Recording r, String v) -> r.meetingTitle = v),
            new Field<>("meeting_url", true, (value, field) -> JsonFields.url(value, field, true, Recording.URL_MAX),
                    (Recording r, String v) -> r.meetingUrl = v),
            new Field<>("duration_seconds", false,
                    (value, field) -> toInt(JsonFields.integer(value, field, true, 0, Integer.MAX_VALUE)),
                    (Recording r, Integer v) -> r.durationSeconds = v),
            new Field<>("status", false, (value, field) -> JsonFields.choice(value, field, false, Recording.STATUSES),
                    (Recording r, String v) -> r.status = v),
            new Field<>("notes", true, RecordingInput::text, (Recording r, String v) -> r.notes = v),
            new Field<>("error_message", false, RecordingInput::text, (Recording r, String v) -> r.errorMessage = v),
            new Field<>("video_url", false, (value, field) -> JsonFields.url(value, field, true, Recording.URL_MAX),
                    (Recording r, String v) -> r.videoUrl = v),
            new Field<>("video_size_bytes", false, (value, field) -> JsonFields.integer(value, field, true, 0,
                    Long.MAX_VALUE), (Recording r, Long v) -> r.videoSizeBytes = v),
            new Field<>("participants", true, (value, field) -> participants(value).toString(),
                    (Recording r, String v) -> r.participants = v),
            new Field<>("summary", false, RecordingInput::text, (Recording r, String v) -> r.summary = v),
            new Field<>("extracted_tasks", false, (value, field) -> tasks(value).toString(),
                    (Recording r, String v) -> r.extractedTasks = v),
            new Field<>("tasks_generated_at", false, (value, field) -> JsonFields.dateTime(value, field, true),
                    (Recording r, OffsetDateTime v) -> r.tasksGeneratedAt = v),
            new Field<>("summary_generated_at", false, (value, field) -> JsonFields.dateTime(value, field, true),
                    (Recording r, OffsetDateTime v) -> r.summaryGeneratedAt = v),
            new Field<>("started_at", true, (value, field) -> JsonFields.dateTime(value, field, false),
                    (Recording r, OffsetDateTime v) -> r.startedAt = v),
            new Field<>("completed_at", false, (value, field) -> JsonFields.dateTime(value, field, true),
                    (Recording r, OffsetDateTime v) -> r.completedAt = v))
            .collect(Collectors.toUnmodifiableMap(Field::name, field -> field));

    private static final String TRANSCRIPT_SEGMENTS = "transcript_segments";

    private RecordingInput() {
    }

    /** A create body: only the fields the contract lets a client choose at creation. */
    public static RecordingChanges forCreate(ObjectNode body) {
        RecordingChanges changes = new RecordingChanges();
        body.fields().forEachRemaining(entry -> {
            Field<?> field = FIELDS.get(entry.getKey());
            if (field != null && field.atCreate()) {
                field.read(entry.getValue(), changes);
            }
        });
        if (!changes.hasPlatform()) {
            PLATFORM.read(TextNode.valueOf("desktop_audio"), changes);
        }
        return changes;
    }

    /** A PUT ({@code partial == false}, platform required) or PATCH body; fields left out keep their values. */
    public static RecordingChanges forUpdate(ObjectNode body, boolean partial) {
        if (!partial && !body.has(PLATFORM.name())) {
            throw JsonFields.required(PLATFORM.name());
        }
        RecordingChanges changes = new RecordingChanges();
        body.fields().forEachRemaining(entry -> {
            Field<?> field = FIELDS.get(entry.getKey());
            if (field != null) {
                field.read(entry.getValue(), changes);
            } else if (entry.getKey().equals(TRANSCRIPT_SEGMENTS)) {
                changes.replaceTranscript(TranscriptSegments.validate(
                        JsonFields.list(entry.getValue(), TRANSCRIPT_SEGMENTS, false), TRANSCRIPT_SEGMENTS).toString());
            }
        });
        return changes;
    }

    private static String text(JsonNode value, String field) {
        return JsonFields.string(value, field, true, true, TEXT_LIMIT);
    }

    private static ArrayNode participants(JsonNode value) {
        ArrayNode input = JsonFields.list(value, "participants", false, MOST_PARTICIPANTS);
        ArrayNode participants = JsonNodeFactory.instance.arrayNode(input.size());
        for (int index = 0; index < input.size(); index++) {
            participants.add(JsonFields.string(input.get(index), "participants__" + index, false, true,
                    PARTICIPANT_MAX));
        }
        return participants;
    }

    private static ArrayNode tasks(JsonNode value) {
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

    private static Integer toInt(Long value) {
        return value == null ? null : value.intValue();
    }
}
