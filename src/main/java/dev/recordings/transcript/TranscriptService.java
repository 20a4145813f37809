package dev.recordings.transcript;

import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.error.ApiException;
import dev.recordings.json.JsonFields;
import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingService;
import io.smallrye.mutiny.Uni;

/** Appending a batch of transcript segments to a recording. */
@ApplicationScoped
public class TranscriptService {

    public static final int MAX_BATCH = 1000;

    private final TranscriptRepository transcripts;
    private final RecordingService recordings;

    public TranscriptService(TranscriptRepository transcripts, RecordingService recordings) {
        this.transcripts = transcripts;
        this.recordings = recordings;
    }

    public Uni<Recording> append(long projectId, String recordingId, Supplier<ObjectNode> body) {
        UUID id = RecordingService.parseId(recordingId);
        return recordings.validatedOrNotFound(projectId, id, () -> batch(body.get()))
                .chain(batch -> transcripts.appendReturningRecording(projectId, id, batch))
                .onItem().ifNull().failWith(RecordingService::notFound);
    }

    public Uni<AppendResult> appendMinimal(long projectId, String recordingId, Supplier<ObjectNode> body) {
        UUID id = RecordingService.parseId(recordingId);
        return recordings.validatedOrNotFound(projectId, id, () -> batch(body.get()))
                .chain(batch -> transcripts.appendReturningSummary(projectId, id, batch))
                .onItem().ifNull().failWith(RecordingService::notFound);
    }

    /** The batch as the JSON text of its validated segments; any invalid segment fails the whole batch. */
    private static String batch(ObjectNode body) {
        if (!body.has("segments")) {
            throw JsonFields.required("segments");
        }
        ArrayNode segments = JsonFields.list(body.get("segments"), "segments", false);
        if (segments.isEmpty()) {
            throw ApiException.validation("min_length", "This list may not be empty.", "segments");
        }
        if (segments.size() > MAX_BATCH) {
            throw ApiException.validation("max_length",
                    "Ensure this field has no more than " + MAX_BATCH + " elements.", "segments");
        }
        return TranscriptSegments.validate(segments, "segments").segments().toString();
    }
}
