package dev.recordings.recording;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import dev.recordings.error.ApiException;
import dev.recordings.recall.RecallUploadService;
import io.smallrye.mutiny.Uni;

/** The rules for listing, creating, changing and deleting recordings; access is checked by the caller. */
@ApplicationScoped
public class RecordingService {

    private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();

    private final RecordingRepository recordings;
    private final RecallUploadService recall;

    public RecordingService(RecordingRepository recordings, RecallUploadService recall) {
        this.recordings = recordings;
        this.recall = recall;
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

    public Uni<Recording> update(long projectId, String recordingId, Supplier<RecordingChanges> changes) {
        UUID id = parseId(recordingId);
        return validatedOrNotFound(projectId, id, changes)
                .chain(valid -> recordings.update(projectId, id, valid))
                .onItem().ifNull().failWith(RecordingService::notFound);
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
