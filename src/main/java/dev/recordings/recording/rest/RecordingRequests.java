package dev.recordings.recording.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.recordings.recording.Recording;
import dev.recordings.transcript.TranscriptService;

/**
 * The request bodies (and the export's JSON answer) as OpenAPI shows them. Bodies are read as JSON trees and
 * checked field by field (see {@code RecordingInput}), so these types describe the API and are never bound.
 */
final class RecordingRequests {

    private RecordingRequests() {
    }

    static final String APPEND_EXAMPLE = """
            {"segments": [
              {"timestamp": 1200, "speaker": "Ann", "text": "Hello everyone", "confidence": 0.94, "is_final": true},
              {"id": "utt-7", "timestamp": 2500, "speaker": "Bob", "text": "Hi Ann", "is_final": false}
            ]}""";

    static final String RECORDING_EXAMPLE = """
            {"id": "019a1f4e-8a2b-7c3d-9e4f-5a6b7c8d9e0f", "team": 1, "created_by": 1,
             "sdk_upload_id": "6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f", "recall_recording_id": null,
             "platform": "zoom", "meeting_title": "Weekly sync", "meeting_url": null, "duration_seconds": null,
             "status": "recording", "notes": null, "error_message": null, "video_url": null,
             "video_size_bytes": null, "participants": ["Ann", "Bob"], "transcript_text": "Hello everyone Hi Ann",
             "transcript_segments": [
               {"timestamp": 1200, "speaker": "Ann", "text": "Hello everyone", "confidence": 0.94, "is_final": true},
               {"id": "utt-7", "timestamp": 2500, "speaker": "Bob", "text": "Hi Ann", "is_final": false}],
             "summary": null, "extracted_tasks": [], "tasks_generated_at": null, "summary_generated_at": null,
             "started_at": "2026-11-29T10:00:00.000000Z", "completed_at": null,
             "created_at": "2026-11-29T10:00:00.123456Z", "updated_at": "2026-11-29T10:00:03.654321Z"}""";

    @Schema(name = "AppendSegments")
    record AppendSegments(
            @Schema(required = true, minItems = 1) List<Recording.TranscriptSegment> segments) {
    }

    @Schema(name = "TranscriptExport")
    record TranscriptJson(@Schema(required = true, format = "uuid") String id,
            @Schema(required = true) int segmentCount,
            @Schema(required = true) List<Recording.TranscriptSegment> segments) {
    }

    @Schema(name = "SpeakerRenameRequest")
    record Speakers(
            @Schema(required = true, nullable = true, maxLength = TranscriptService.SPEAKER_MAX,
                    description = "The speaker to rename; null (or blank) for segments without a speaker.")
            String from,
            @Schema(required = true, maxLength = TranscriptService.SPEAKER_MAX, description = "Not blank.")
            String to) {
    }
}
