package dev.recordings.recording;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.DynamicInsert;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A desktop recording's metadata. Its transcript is not a field: it lives in the {@code transcript} package's chunks
 * and is streamed into the API answer where {@code RecordingJson} declares it, so that a long transcript is never
 * held whole in memory. The JSON columns are carried as the database's own JSON text and written out raw. The
 * Jackson and OpenAPI annotations describe each field in the API document; which fields there are, their order,
 * columns, JSON and input rules are declared in {@link RecordingFields} (which also marks the read-only ones in the
 * document), and RecordingFieldsTest holds the two together.
 */
@Entity
@Table(name = "desktop_recordings")
// Columns left null on insert take the table's defaults (status, participants, started_at, created_at, ...), which
// the service reads back after the insert: one clock, the database's, for every timestamp. For the same reason the
// columns with defaults are not declared NOT NULL here (the table declares it), or Hibernate refuses the null.
@DynamicInsert
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.PUBLIC_ONLY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@Schema(name = "DesktopRecording", properties = {
        @SchemaProperty(name = "transcript_text", type = SchemaType.STRING, readOnly = true,
                description = "Every segment's text, joined by one space."),
        @SchemaProperty(name = "transcript_segments", type = SchemaType.ARRAY,
                implementation = Recording.TranscriptSegment.class) })
public class Recording {

    /**
     * The platforms, in the contract's order; validation, the API document (ApiDocumentFilter) and the MCP tools'
     * descriptions (annotations, which take only constants: hence the text) all read it.
     */
    public static final String PLATFORM_NAMES = "zoom, teams, meet, desktop_audio, slack";
    public static final List<String> PLATFORMS = List.of(PLATFORM_NAMES.split(", "));
    /** The statuses, in the order a recording moves through them; read as PLATFORMS is. */
    public static final String STATUS_NAMES = "recording, uploading, processing, ready, error";
    public static final List<String> STATUSES = List.of(STATUS_NAMES.split(", "));

    /** The longest meeting title, and URL, the table takes; validation and the API document read these. */
    public static final int TITLE_MAX = 255;
    public static final int URL_MAX = 200;

    /** A JSON column as text in Java: bound as text and cast, read back as its canonical JSON text. */
    private static final String JSON_WRITE = "cast(cast(? as text) as jsonb)";

    @Id
    @Schema(format = "uuid")
    public UUID id;

    /** The project the recording belongs to; the API (after PostHog) names the field {@code team}. */
    @Column(name = "team_id", nullable = false, updatable = false)
    @JsonProperty("team")
    @Schema(description = "The project id.")
    public Long projectId;

    @Column(name = "created_by_id", updatable = false)
    @Schema(nullable = true)
    public Long createdBy;

    @Column(name = "sdk_upload_id", nullable = false, updatable = false)
    @Schema(format = "uuid")
    public UUID sdkUploadId;

    @Column(name = "recall_recording_id")
    @Schema(nullable = true, format = "uuid")
    public UUID recallRecordingId;

    @Column(length = 20)
    public String platform;

    @Column(name = "meeting_title", length = TITLE_MAX)
    @Schema(nullable = true, maxLength = TITLE_MAX)
    public String meetingTitle;

    @Column(name = "meeting_url", length = URL_MAX)
    @Schema(nullable = true, maxLength = URL_MAX, format = "uri")
    public String meetingUrl;

    @Column(name = "duration_seconds")
    @Schema(nullable = true, minimum = "0", maximum = "2147483647")
    public Integer durationSeconds;

    @Column(length = 20)
    public String status;

    @Schema(nullable = true)
    public String notes;

    @Column(name = "error_message")
    @Schema(nullable = true)
    public String errorMessage;

    @Column(name = "video_url", length = URL_MAX)
    @Schema(nullable = true, maxLength = URL_MAX, format = "uri")
    public String videoUrl;

    @Column(name = "video_size_bytes")
    @Schema(nullable = true, minimum = "0", format = "int64")
    public Long videoSizeBytes;

    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(read = "cast(participants as text)", write = JSON_WRITE)
    @JsonRawValue
    @Schema(implementation = String[].class)
    public String participants;

    /** How many segments the transcript holds: kept by the transcript's own functions, never written here. */
    @Column(name = "segment_count", insertable = false, updatable = false)
    @JsonIgnore
    @Schema(hidden = true)
    public Integer segmentCount;

    @Schema(nullable = true)
    public String summary;

    @Column(name = "extracted_tasks", columnDefinition = "jsonb")
    @ColumnTransformer(read = "cast(extracted_tasks as text)", write = JSON_WRITE)
    @JsonRawValue
    @Schema(implementation = ExtractedTask[].class)
    public String extractedTasks;

    @Column(name = "tasks_generated_at")
    @Schema(nullable = true)
    public OffsetDateTime tasksGeneratedAt;

    @Column(name = "summary_generated_at")
    @Schema(nullable = true)
    public OffsetDateTime summaryGeneratedAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "completed_at")
    @Schema(nullable = true)
    public OffsetDateTime completedAt;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    /** Set by the database on every write, appends included. */
    @Column(name = "updated_at", insertable = false, updatable = false)
    public OffsetDateTime updatedAt;

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
