package dev.recordings.recording.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.recordings.recording.Recording;

/**
 * How OpenAPI shows the live transcript: a server-sent event is text, so these types describe the events' fields
 * and their {@code data} JSON, and are never written by Jackson (see {@code ServerSentEvents}).
 */
final class LiveTranscriptDocument {

    private LiveTranscriptDocument() {
    }

    static final String DESCRIPTION = "Server-sent events. The stream first sends one segments event with every "
            + "stored segment from the start position (Last-Event-ID, else after, else 0), then each change as it "
            + "commits on any instance: segments appended (id: the segment count after them), a segment replaced "
            + "in place, a speaker renamed, the status changed, the recording deleted (the stream then ends). A "
            + "segments event whose start is below the count the client holds replaces everything from start on "
            + "(after the whole transcript was replaced). A ': keep-alive' comment comes at least every 15 s. The "
            + "stream ends when its key is revoked or its user leaves the project (within a second), and when the "
            + "instance shuts down; reconnect with Last-Event-ID to go on without a gap or a duplicate.";

    static final String EXAMPLE = """
            event: segments
            id: 2
            data: {"start":0,"segments":[{"timestamp":1200,"speaker":"Ann","text":"Hello everyone"},{"id":"utt-7","timestamp":2500,"speaker":"Bob","text":"Hi","is_final":false}]}

            event: replaced
            id: 2
            data: {"index":1,"segment":{"id":"utt-7","timestamp":2500,"speaker":"Bob","text":"Hi Ann","is_final":true}}

            : keep-alive

            event: speaker_renamed
            data: {"from":"Bob","to":"Bob Lee","renamed":1}

            event: status
            data: {"status":"uploading"}
            """;

    @Schema(name = "LiveTranscriptEvent", description = "One server-sent event: its event and id fields, and its "
            + "data line, whose JSON depends on the event.")
    record Event(
            @Schema(required = true, enumeration = { "segments", "replaced", "speaker_renamed", "status",
                    "deleted" }) String event,
            @Schema(nullable = true, description = "segments and replaced: the number of stored segments after the "
                    + "change.") Integer id,
            @Schema(required = true, oneOf = { Segments.class, Replaced.class, SpeakerRenamed.class, Status.class,
                    Deleted.class }) Object data) {
    }

    @Schema(name = "LiveTranscriptSegments", description = "Segments at positions start to id - 1.")
    record Segments(@Schema(required = true, minimum = "0") int start,
            @Schema(required = true) List<Recording.TranscriptSegment> segments) {
    }

    @Schema(name = "LiveTranscriptReplaced", description = "A segment replaced in place (a batch segment with the "
            + "id of a stored one).")
    record Replaced(@Schema(required = true, minimum = "0") int index,
            @Schema(required = true) Recording.TranscriptSegment segment) {
    }

    @Schema(name = "LiveTranscriptSpeakerRenamed")
    record SpeakerRenamed(@Schema(required = true, nullable = true) String from, @Schema(required = true) String to,
            @Schema(required = true, minimum = "1") int renamed) {
    }

    @Schema(name = "LiveTranscriptStatus")
    record Status(@Schema(required = true, type = SchemaType.STRING) String status) {
    }

    @Schema(name = "LiveTranscriptDeleted")
    record Deleted(@Schema(required = true, format = "uuid") String id) {
    }
}
