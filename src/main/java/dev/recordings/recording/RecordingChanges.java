package dev.recordings.recording;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated column values for an insert or update, in the order the client's fields were read. JSON columns hold
 * their JSON text.
 */
public final class RecordingChanges {

    /** A writable column and how its parameter is cast in SQL. */
    public enum Column {
        RECALL_RECORDING_ID("recall_recording_id", ""),
        PLATFORM("platform", ""),
        MEETING_TITLE("meeting_title", ""),
        MEETING_URL("meeting_url", ""),
        DURATION_SECONDS("duration_seconds", ""),
        STATUS("status", ""),
        NOTES("notes", ""),
        ERROR_MESSAGE("error_message", ""),
        VIDEO_URL("video_url", ""),
        VIDEO_SIZE_BYTES("video_size_bytes", ""),
        // The client sends JSON text; cast through text, since a string bound straight to jsonb is stored as one
        // JSON string rather than parsed.
        PARTICIPANTS("participants", "::text::jsonb"),
        SUMMARY("summary", ""),
        EXTRACTED_TASKS("extracted_tasks", "::text::jsonb"),
        TASKS_GENERATED_AT("tasks_generated_at", ""),
        SUMMARY_GENERATED_AT("summary_generated_at", ""),
        STARTED_AT("started_at", ""),
        COMPLETED_AT("completed_at", "");

        private final String name;
        private final String cast;

        Column(String name, String cast) {
            this.name = name;
            this.cast = cast;
        }

        public String sqlName() {
            return name;
        }

        public String parameter(int position) {
            return "$" + position + cast;
        }
    }

    private final Map<Column, Object> values = new LinkedHashMap<>();
    private String transcriptSegments;

    void put(Column column, Object value) {
        values.put(column, value);
    }

    void replaceTranscript(String segments) {
        transcriptSegments = segments;
    }

    /** The JSON text of the validated segments that replace the whole transcript, or null to keep it. */
    public String transcriptSegments() {
        return transcriptSegments;
    }

    public Map<Column, Object> values() {
        return values;
    }

    public boolean has(Column column) {
        return values.containsKey(column);
    }
}
