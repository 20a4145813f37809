package dev.recordings.recall;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recordings.error.ApiException;

/** A Recall.ai SDK upload webhook, reduced to what it means for a recording's status. */
record RecallEvent(String event, UUID sdkUploadId, UUID recordingId, String status, UUID recallRecordingId,
        String errorMessage) {

    /** The events this service acts on, and the status each one means. */
    private static final Map<String, String> STATUS_BY_EVENT = Map.of(
            "sdk_upload.recording_started", "recording",
            "sdk_upload.recording_ended", "uploading",
            "sdk_upload.uploading", "uploading",
            "sdk_upload.complete", "processing",
            "sdk_upload.failed", "error");

    /** Empty for an event this service does not act on. */
    static Optional<RecallEvent> from(JsonNode payload) {
        String event = payload.path("event").asText("");
        String status = STATUS_BY_EVENT.get(event);
        if (status == null) {
            return Optional.empty();
        }
        JsonNode data = payload.path("data");
        JsonNode upload = data.path("sdk_upload");
        String subCode = text(data.path("data").path("sub_code"), "data__data__sub_code");
        String code = text(data.path("data").path("code"), "data__data__code");
        return Optional.of(new RecallEvent(event,
                uuid(upload.path("id")),
                uuid(upload.path("metadata").path("recording_id")),
                status,
                status.equals("processing") ? uuid(data.path("recording").path("id")) : null,
                status.equals("error") ? (subCode != null ? subCode : code != null ? code : "sdk_upload.failed")
                        : null));
    }

    /** A text the recording keeps (as its error message); a NUL, which PostgreSQL cannot store, is a 400. */
    private static String text(JsonNode node, String attr) {
        if (node.isTextual() && node.textValue().indexOf('\u0000') >= 0) {
            throw ApiException.validation("invalid_input", "Null characters are not allowed.", attr);
        }
        return node.isTextual() && !node.textValue().isBlank() ? node.textValue().strip() : null;
    }

    private static UUID uuid(JsonNode node) {
        try {
            return node.isTextual() ? UUID.fromString(node.textValue().strip()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
