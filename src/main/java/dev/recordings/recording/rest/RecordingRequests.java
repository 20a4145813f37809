package dev.recordings.recording.rest;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.recordings.recording.Recording;

/**
 * The request bodies as OpenAPI shows them. Bodies are read as JSON trees and checked field by field (see
 * {@code RecordingInput}), so these types describe the API and are never bound.
 */
final class RecordingRequests {

    private RecordingRequests() {
    }

    @Schema(name = "DesktopRecordingCreate")
    record Create(
            @Schema(enumeration = { "zoom", "teams", "meet", "desktop_audio", "slack" },
                    defaultValue = "desktop_audio") String platform,
            @Schema(nullable = true, maxLength = 255) String meetingTitle,
            @Schema(nullable = true, maxLength = 200, format = "uri") String meetingUrl,
            List<String> participants,
            @Schema(nullable = true) String notes,
            @Schema(description = "Defaults to the time of creation.") OffsetDateTime startedAt) {
    }

    @Schema(name = "AppendSegments")
    record AppendSegments(
            @Schema(required = true, minItems = 1, maxItems = 1000) List<Recording.TranscriptSegment> segments) {
    }
}
