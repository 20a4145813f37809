package dev.recordings.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recordings.json.JsonFields;
import io.vertx.mutiny.sqlclient.Row;

/**
 * A recording's fields, declared once, in the API's order: each with its name in the API, its column, how it is
 * read from a row and written as JSON, and, for those a client may write, its input rule. The column list and row
 * mapper ({@link RecordingRepository}), the JSON writer ({@link RecordingJson}), the input parsing
 * ({@link RecordingInput}) and the API document's request schemas and read-only marks (ApiDocumentFilter) are all
 * taken from here. {@link Recording} holds the values, with Hibernate's mapping and each field's description in the
 * document; RecordingFieldsTest checks it against this list, and the webhook trigger's column list too.
 */
public final class RecordingFields {

    /** How a column is carried: a plain value, or JSON kept as the database's own text and written out raw. */
    public enum Storage {
        VALUE, JSON
    }

    /** A field a client may write: whether a create takes it, and its rule. */
    public record Input<T>(boolean atCreate, Rule<T> rule) {
    }

    /** A field's validation: the value as stored, or a 400 naming the field. */
    @FunctionalInterface
    public interface Rule<T> {
        T check(JsonNode value, String field);
    }

    /** One field; {@code input} is null for a read-only one. */
    public record Field<T>(String name, String column, Class<T> type, Storage storage, Function<Recording, T> value,
            BiConsumer<Recording, T> target, Input<T> input) {

        public boolean writable() {
            return input != null;
        }

        /** The column as the repository selects it. */
        String selected() {
            return storage == Storage.JSON ? "r." + column + "::text AS " + column : "r." + column;
        }

        void read(Row row, Recording into) {
            Object value;
            if (type == String.class) {
                value = row.getString(column);
            } else if (type == UUID.class) {
                value = row.getUUID(column);
            } else if (type == Long.class) {
                value = row.getLong(column);
            } else if (type == Integer.class) {
                value = row.getInteger(column);
            } else {
                value = row.get(type, column);
            }
            target.accept(into, type.cast(value));
        }

        void write(ObjectMapper mapper, JsonGenerator json, Recording recording) throws IOException {
            json.writeFieldName(name);
            if (storage == Storage.JSON) {
                json.writeRawValue((String) value.apply(recording));
            } else {
                mapper.writeValue(json, value.apply(recording));
            }
        }

        /** The value as a JSON tree (a JSON column parsed). */
        JsonNode tree(ObjectMapper mapper, Recording recording) {
            Object current = value.apply(recording);
            if (storage == Storage.JSON && current != null) {
                try {
                    return mapper.readTree((String) current);
                } catch (IOException e) {
                    throw new UncheckedIOException("a stored JSON column that does not parse", e);
                }
            }
            return mapper.valueToTree(current);
        }

        /** Validates a client's value and queues its write. */
        void read(JsonNode input, RecordingChanges into) {
            T valid = this.input.rule().check(input, name);
            into.add(this, recording -> target.accept(recording, valid));
        }
    }

    /** The platform a create without one gets. */
    public static final String DEFAULT_PLATFORM = "desktop_audio";

    public static final Field<String> PLATFORM = new Field<>("platform", "platform", String.class, Storage.VALUE,
            r -> r.platform, (r, v) -> r.platform = v,
            new Input<>(true, (value, field) -> JsonFields.choice(value, field, false, Recording.PLATFORMS)));
    public static final Field<String> PARTICIPANTS = new Field<>("participants", "participants", String.class,
            Storage.JSON, r -> r.participants, (r, v) -> r.participants = v,
            new Input<>(true, (value, field) -> RecordingInput.participants(value).toString()));

    /** Every field of the answer but the transcript's two, in the API's order. */
    public static final List<Field<?>> ALL = List.of(
            readOnly("id", "id", UUID.class, r -> r.id, (r, v) -> r.id = v),
            readOnly("team", "team_id", Long.class, r -> r.projectId, (r, v) -> r.projectId = v),
            readOnly("created_by", "created_by_id", Long.class, r -> r.createdBy, (r, v) -> r.createdBy = v),
            readOnly("sdk_upload_id", "sdk_upload_id", UUID.class, r -> r.sdkUploadId, (r, v) -> r.sdkUploadId = v),
            writable("recall_recording_id", UUID.class, false, r -> r.recallRecordingId,
                    (r, v) -> r.recallRecordingId = v, (value, field) -> JsonFields.uuid(value, field, true)),
            PLATFORM,
            writable("meeting_title", String.class, true, r -> r.meetingTitle, (r, v) -> r.meetingTitle = v,
                    (value, field) -> JsonFields.string(value, field, true, true, Recording.TITLE_MAX)),
            writable("meeting_url", String.class, true, r -> r.meetingUrl, (r, v) -> r.meetingUrl = v,
                    (value, field) -> JsonFields.url(value, field, true, Recording.URL_MAX)),
            writable("duration_seconds", Integer.class, false, r -> r.durationSeconds,
                    (r, v) -> r.durationSeconds = v, (value, field) -> RecordingInput.toInt(
                            JsonFields.integer(value, field, true, 0, Integer.MAX_VALUE))),
            writable("status", String.class, false, r -> r.status, (r, v) -> r.status = v,
                    (value, field) -> JsonFields.choice(value, field, false, Recording.STATUSES)),
            writable("notes", String.class, true, r -> r.notes, (r, v) -> r.notes = v, RecordingInput::text),
            writable("error_message", String.class, false, r -> r.errorMessage, (r, v) -> r.errorMessage = v,
                    RecordingInput::text),
            writable("video_url", String.class, false, r -> r.videoUrl, (r, v) -> r.videoUrl = v,
                    (value, field) -> JsonFields.url(value, field, true, Recording.URL_MAX)),
            writable("video_size_bytes", Long.class, false, r -> r.videoSizeBytes, (r, v) -> r.videoSizeBytes = v,
                    (value, field) -> JsonFields.integer(value, field, true, 0, Long.MAX_VALUE)),
            PARTICIPANTS,
            writable("summary", String.class, false, r -> r.summary, (r, v) -> r.summary = v, RecordingInput::text),
            new Field<>("extracted_tasks", "extracted_tasks", String.class, Storage.JSON, r -> r.extractedTasks,
                    (r, v) -> r.extractedTasks = v,
                    new Input<>(false, (value, field) -> RecordingInput.tasks(value).toString())),
            writable("tasks_generated_at", OffsetDateTime.class, false, r -> r.tasksGeneratedAt,
                    (r, v) -> r.tasksGeneratedAt = v, (value, field) -> JsonFields.dateTime(value, field, true)),
            writable("summary_generated_at", OffsetDateTime.class, false, r -> r.summaryGeneratedAt,
                    (r, v) -> r.summaryGeneratedAt = v, (value, field) -> JsonFields.dateTime(value, field, true)),
            writable("started_at", OffsetDateTime.class, true, r -> r.startedAt, (r, v) -> r.startedAt = v,
                    (value, field) -> JsonFields.dateTime(value, field, false)),
            writable("completed_at", OffsetDateTime.class, false, r -> r.completedAt, (r, v) -> r.completedAt = v,
                    (value, field) -> JsonFields.dateTime(value, field, true)),
            readOnly("created_at", "created_at", OffsetDateTime.class, r -> r.createdAt, (r, v) -> r.createdAt = v),
            readOnly("updated_at", "updated_at", OffsetDateTime.class, r -> r.updatedAt, (r, v) -> r.updatedAt = v));

    /** The transcript's two fields ({@code transcript_text}, {@code transcript_segments}) come right after this one. */
    public static final Field<?> TRANSCRIPT_AFTER = PARTICIPANTS;

    /**
     * The transcript's length: kept by the transcript's own functions, read with the rest (it decides how a
     * transcript is read, and an assistant is shown it), never in the REST answer.
     */
    static final Field<Integer> SEGMENT_COUNT = readOnly("segment_count", "segment_count", Integer.class,
            r -> r.segmentCount, (r, v) -> r.segmentCount = v);

    /** The columns every read selects, from table alias {@code r}. */
    static final String COLUMNS = ALL.stream().map(Field::selected).collect(Collectors.joining(", "))
            + ", " + SEGMENT_COUNT.selected();

    private RecordingFields() {
    }

    /** A recording as a read of {@link #COLUMNS} found it. */
    static Recording fromRow(Row row) {
        Recording recording = new Recording();
        for (Field<?> field : ALL) {
            field.read(row, recording);
        }
        SEGMENT_COUNT.read(row, recording);
        return recording;
    }

    /** The names of the fields a client may write. */
    public static List<String> writableNames() {
        return ALL.stream().filter(Field::writable).map(Field::name).toList();
    }

    /** The names of the fields a create takes. */
    public static List<String> createNames() {
        return ALL.stream().filter(field -> field.writable() && field.input().atCreate()).map(Field::name).toList();
    }

    private static <T> Field<T> readOnly(String name, String column, Class<T> type, Function<Recording, T> value,
            BiConsumer<Recording, T> target) {
        return new Field<>(name, column, type, Storage.VALUE, value, target, null);
    }

    /** A writable field whose column is its name. */
    private static <T> Field<T> writable(String name, Class<T> type, boolean atCreate, Function<Recording, T> value,
            BiConsumer<Recording, T> target, Rule<T> rule) {
        return new Field<>(name, name, type, Storage.VALUE, value, target, new Input<>(atCreate, rule));
    }
}
