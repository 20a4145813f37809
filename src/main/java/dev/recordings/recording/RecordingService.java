package dev.recordings.recording;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.error.ApiException;
import dev.recordings.recall.RecallUploadService;
import dev.recordings.transcript.AppendResult;
import dev.recordings.transcript.TranscriptService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The rules for listing, creating, changing and deleting recordings and for appending to their transcripts; access
 * to the project is checked by the caller. The transcript itself is the {@code transcript} package's.
 */
@ApplicationScoped
public class RecordingService {

    private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();

    private final RecordingRepository recordings;
    private final TranscriptService transcripts;
    private final RecallUploadService recall;
    private final Pool pool;

    public RecordingService(RecordingRepository recordings, TranscriptService transcripts, RecallUploadService recall,
            Pool pool) {
        this.recordings = recordings;
        this.transcripts = transcripts;
        this.recall = recall;
        this.pool = pool;
    }

    /** One page and the total count for the filter. */
    public record Page(long count, List<Recording> results) {
    }

    /** A created recording and the token the desktop SDK uploads with (null when uploads are off). */
    public record Created(Recording recording, String uploadToken) {
    }

    public Uni<Page> list(long projectId, RecordingFilter filter, int limit, long offset) {
        return recordings.count(projectId, filter)
                .chain(count -> recordings.list(projectId, filter, limit, offset)
                        .map(results -> new Page(count, results)));
    }

    /** Asks Recall.ai for the upload first, so that a failure there leaves no row behind. */
    public Uni<Created> create(long projectId, long userId, RecordingChanges changes) {
        UUID id = UUID_V7.generate();
        return recall.createUpload(id, projectId)
                .chain(upload -> recordings.insert(id, projectId, userId, upload.sdkUploadId(), changes)
                        .onFailure(RecordingRepository.DuplicateUploadException.class)
                        .transform(duplicate -> ApiException.serviceUnavailable(
                                "Failed to create upload with Recall.ai: duplicate upload id", Map.of()))
                        .map(recording -> new Created(recording, upload.uploadToken())));
    }

    public Uni<Recording> retrieve(long projectId, String recordingId) {
        UUID id = parseId(recordingId);
        return recordings.find(projectId, id).onItem().ifNull().failWith(RecordingService::notFound);
    }

    /** What an append did, and the recording after it when it was asked for. */
    public record Appended(AppendResult summary, Recording recording) {
    }

    public Uni<Recording> update(long projectId, String recordingId, Supplier<RecordingChanges> changes) {
        UUID id = parseId(recordingId);
        return validatedOrNotFound(projectId, id, changes)
                .chain(valid -> valid.transcriptSegments() == null ? recordings.update(pool, projectId, id, valid)
                        : pool.withTransaction(transaction -> recordings.updateAndLock(transaction, projectId, id,
                                valid).chain(updated -> !updated ? Uni.createFrom().<Recording>nullItem()
                                        : transcripts.replaceAll(transaction, id, valid.transcriptSegments())
                                                .chain(() -> recordings.find(transaction, projectId, id)))))
                .onItem().ifNull().failWith(RecordingService::notFound);
    }

    /**
     * Appends a batch of segments; the answer has the recording when {@code withRecording}, else only the summary.
     * The recording is read after the append has committed, so that the append holds its row lock no longer than
     * its own statement.
     */
    public Uni<Appended> append(long projectId, String recordingId, Supplier<ObjectNode> body,
            boolean withRecording) {
        UUID id = parseId(recordingId);
        return validatedOrNotFound(projectId, id, () -> TranscriptService.batch(body.get()))
                .chain(batch -> transcripts.append(projectId, id, batch))
                .onItem().ifNull().failWith(RecordingService::notFound)
                .chain(summary -> withRecording
                        ? retrieve(projectId, recordingId).map(recording -> new Appended(summary, recording))
                        : Uni.createFrom().item(new Appended(summary, null)));
    }

    public Uni<Void> delete(long projectId, String recordingId) {
        UUID id = parseId(recordingId);
        return recordings.delete(projectId, id).map(deleted -> {
            if (!deleted) {
                throw notFound();
            }
            return null;
        });
    }

    /**
     * Runs a body validation for a recording. The contract checks the recording before the body, so an invalid body
     * for a recording that does not exist answers 404; a valid one costs no extra query, since the write itself
     * tells whether the recording exists.
     */
    public <T> Uni<T> validatedOrNotFound(long projectId, UUID id, Supplier<T> validation) {
        try {
            return Uni.createFrom().item(validation.get());
        } catch (ApiException invalid) {
            return recordings.exists(projectId, id).map(exists -> {
                throw exists ? invalid : notFound();
            });
        }
    }

    /** A recording id that is not a UUID cannot name a recording: 404, like any other unknown id. */
    public static UUID parseId(String recordingId) {
        try {
            UUID id = UUID.fromString(recordingId);
            if (id.toString().equalsIgnoreCase(recordingId)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw notFound();
    }

    public static ApiException notFound() {
        return ApiException.notFound("Not found.");
    }
}
