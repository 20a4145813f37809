package dev.recordings.recording;

import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/** Validated field values for a create or an update. JSON fields hold their JSON text. */
public final class RecordingChanges {

    /** A field a client may write. */
    public enum Field {
        RECALL_RECORDING_ID, PLATFORM, MEETING_TITLE, MEETING_URL, DURATION_SECONDS, STATUS, NOTES, ERROR_MESSAGE,
        VIDEO_URL, VIDEO_SIZE_BYTES, PARTICIPANTS, SUMMARY, EXTRACTED_TASKS, TASKS_GENERATED_AT,
        SUMMARY_GENERATED_AT, STARTED_AT, COMPLETED_AT
    }

    private final Map<Field, Object> values = new EnumMap<>(Field.class);
    private String transcriptSegments;

    void put(Field field, Object value) {
        values.put(field, value);
    }

    void replaceTranscript(String segments) {
        transcriptSegments = segments;
    }

    /** The JSON text of the validated segments that replace the whole transcript, or null to keep it. */
    public String transcriptSegments() {
        return transcriptSegments;
    }

    public boolean has(Field field) {
        return values.containsKey(field);
    }

    /** Writes every changed field into the recording; the fields left out keep their values. */
    void applyTo(Recording recording) {
        values.forEach((field, value) -> {
            switch (field) {
                case RECALL_RECORDING_ID -> recording.recallRecordingId = (UUID) value;
                case PLATFORM -> recording.platform = (String) value;
                case MEETING_TITLE -> recording.meetingTitle = (String) value;
                case MEETING_URL -> recording.meetingUrl = (String) value;
                case DURATION_SECONDS -> recording.durationSeconds = (Integer) value;
                case STATUS -> recording.status = (String) value;
                case NOTES -> recording.notes = (String) value;
                case ERROR_MESSAGE -> recording.errorMessage = (String) value;
                case VIDEO_URL -> recording.videoUrl = (String) value;
                case VIDEO_SIZE_BYTES -> recording.videoSizeBytes = (Long) value;
                case PARTICIPANTS -> recording.participants = (String) value;
                case SUMMARY -> recording.summary = (String) value;
                case EXTRACTED_TASKS -> recording.extractedTasks = (String) value;
                case TASKS_GENERATED_AT -> recording.tasksGeneratedAt = (OffsetDateTime) value;
                case SUMMARY_GENERATED_AT -> recording.summaryGeneratedAt = (OffsetDateTime) value;
                case STARTED_AT -> recording.startedAt = (OffsetDateTime) value;
                case COMPLETED_AT -> recording.completedAt = (OffsetDateTime) value;
            }
        });
    }
}
