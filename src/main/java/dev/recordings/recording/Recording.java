package dev.recordings.recording;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A desktop recording as the API shows it. The JSON columns are carried as the database's own JSON text and written
 * out raw: a long transcript is never parsed into Java objects just to be printed again.
 */
@RegisterForReflection
@Schema(name = "DesktopRecording")
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Recording(
        @Schema(readOnly = true, format = "uuid") UUID id,
        @Schema(readOnly = true, description = "The project id.") long team,
        @Schema(readOnly = true, nullable = true) Long createdBy,
        @Schema(readOnly = true, format = "uuid") UUID sdkUploadId,
        @Schema(nullable = true, format = "uuid") UUID recallRecordingId,
        @Schema(enumeration = { "zoom", "teams", "meet", "desktop_audio", "slack" }) String platform,
        @Schema(nullable = true, maxLength = 255) String meetingTitle,
        @Schema(nullable = true, maxLength = 200, format = "uri") String meetingUrl,
        @Schema(nullable = true, minimum = "0", maximum = "2147483647") Integer durationSeconds,
        @Schema(enumeration = { "recording", "uploading", "processing", "ready", "error" }) String status,
        @Schema(nullable = true) String notes,
        @Schema(nullable = true) String errorMessage,
        @Schema(nullable = true, maxLength = 200, format = "uri") String videoUrl,
        @Schema(nullable = true, minimum = "0", format = "int64") Long videoSizeBytes,
        @JsonRawValue @Schema(implementation = String[].class) String participants,
        @Schema(readOnly = true) String transcriptText,
        @JsonRawValue @Schema(implementation = TranscriptSegment[].class) String transcriptSegments,
        @Schema(nullable = true) String summary,
        @JsonRawValue @Schema(implementation = ExtractedTask[].class) String extractedTasks,
        @Schema(nullable = true) OffsetDateTime tasksGeneratedAt,
        @Schema(nullable = true) OffsetDateTime summaryGeneratedAt,
        OffsetDateTime startedAt,
        @Schema(nullable = true) OffsetDateTime completedAt,
        @Schema(readOnly = true) OffsetDateTime createdAt,
        @Schema(readOnly = true) OffsetDateTime updatedAt) {

    public static final Set<String> PLATFORMS = Set.of("zoom", "teams", "meet", "desktop_audio",
            "slack");
    public static final Set<String> STATUSES = Set.of("recording", "uploading", "processing",
            "ready", "error");

    /** The OpenAPI shape of one stored segment. */
    @RegisterForReflection
    @Schema(name = "TranscriptSegment")
    public record TranscriptSegment(
            @Schema(nullable = true, minimum = "0", description = "Milliseconds from the start of the recording.")
            Double timestamp,
            @Schema(nullable = true) String speaker,
            @Schema(required = true, description = "Not blank.") String text,
            @Schema(nullable = true, minimum = "0", maximum = "1") Double confidence,
            @Schema(nullable = true) Boolean isFinal,
            @Schema(maxLength = 128, description = "Optional client-chosen identity: a segment with a known id "
                    + "replaces the stored one in place.") String id) {
    }

    /** The OpenAPI shape of one extracted task. */
    @RegisterForReflection
    @Schema(name = "ExtractedTask")
    public record ExtractedTask(@Schema(required = true) String title, String description,
            @Schema(nullable = true) String assignee) {
    }
}
