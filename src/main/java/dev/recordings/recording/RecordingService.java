package dev.recordings.recording;

import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.auth.ApiCaller;
import dev.recordings.error.ApiException;
import dev.recordings.recall.RecallUploadService;
import dev.recordings.transcript.AppendResult;
import dev.recordings.transcript.SegmentSearch;
import dev.recordings.transcript.SpeakerRename;
import dev.recordings.transcript.TranscriptExport;
import dev.recordings.transcript.TranscriptService;
import dev.recordings.transcript.TranscriptWindow;
import dev.recordings.transcript.stream.LiveStreams;
import dev.recordings.transcript.stream.StreamStart;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.core.Context;

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
    private final LiveStreams liveStreams;

    public RecordingService(RecordingRepository recordings, TranscriptService transcripts,
            RecallUploadService recall, LiveStreams liveStreams) {
        this.recordings = recordings;
        this.transcripts = transcripts;
        this.recall = recall;
        this.liveStreams = liveStreams;
    }

    /** A created recording and the token the desktop SDK uploads with (null when uploads are off). */
    public record Created(Recording recording, String uploadToken) {
    }

    /** One page of the filter, with its total count and the page's transcripts. */
    public Uni<RecordingRepository.Read> list(long projectId, RecordingFilter filter, int limit, long offset) {
        return recordings.read(projectId, filter, limit, offset);
    }

    /** Asks Recall.ai for the upload first, so that a failure there leaves no row behind. */
    public Uni<Created> create(long projectId, long userId, RecordingChanges changes) {
        UUID id = UUID_V7.generate();
        return recall.createUpload(id, projectId)
                .chain(upload -> {
                    Recording recording = new Recording();
                    recording.id = id;
                    recording.projectId = projectId;
                    recording.createdBy = userId;
                    recording.sdkUploadId = upload.sdkUploadId();
                    changes.applyTo(recording);
                    return Panache.withTransaction(() -> recordings.insert(recording))
                            .onFailure(RecordingRepository.DuplicateUploadException.class)
                            .transform(duplicate -> ApiException.serviceUnavailable(
                                    "Failed to create upload with Recall.ai: duplicate upload id", Map.of()))
                            .map(created -> new Created(created, upload.uploadToken()));
                });
    }

    /** The recording with its transcript; 404 when the project has no such recording. */
    public Uni<RecordingRepository.Read> retrieve(long projectId, String recordingId) {
        return recordingId(recordingId).chain(id -> recordings.read(projectId, id, true)).map(read -> {
            if (read.recordings().isEmpty()) {
                throw notFound();
            }
            return read;
        });
    }

    /** A page of the list without transcripts. */
    public Uni<RecordingRepository.Summaries> summaries(long projectId, RecordingFilter filter, int limit,
            long offset) {
        return recordings.summaries(projectId, filter, limit, offset);
    }

    /** The recording without its transcript; 404 when the project has no such recording. */
    public Uni<Recording> summary(long projectId, String recordingId) {
        return recordingId(recordingId).chain(id -> recordings.summary(projectId, id))
                .onItem().ifNull().failWith(RecordingService::notFound);
    }

    /** The segments from position {@code start}, at most {@code limit} of them; 404 for an unknown recording. */
    public Uni<TranscriptWindow> segments(long projectId, String recordingId, int start, int limit) {
        return recordingId(recordingId).chain(id -> transcripts.window(projectId, id, start, start + limit))
                .onItem().ifNull().failWith(RecordingService::notFound);
    }

    /** A transcript export: its format and the recording with its segments. */
    public record Exported(TranscriptExport.Format format, RecordingRepository.Read recording) {
    }

    /** The transcript in a format of the export ({@code json} when none is given); 404 before any format error. */
    public Uni<Exported> export(long projectId, String recordingId, String format) {
        return recordingId(recordingId).chain(id -> validatedOrNotFound(projectId, id, () -> exportFormat(format))
                .chain(valid -> recordings.read(projectId, id, false).map(read -> {
                    if (read.recordings().isEmpty()) {
                        throw notFound();
                    }
                    return new Exported(valid, read);
                })));
    }

    private static TranscriptExport.Format exportFormat(String format) {
        if (format == null) {
            return TranscriptExport.Format.JSON;
        }
        TranscriptExport.Format named = TranscriptExport.Format.named(format);
        if (named == null) {
            throw ApiException.validation("invalid_choice", "\"" + format + "\" is not a valid choice.", "format");
        }
        return named;
    }

    /**
     * Opens a live stream of a recording's transcript from the position the client gives; 404 for an unknown
     * recording before any 400 for the position.
     */
    public Uni<Multi<Buffer>> watch(ApiCaller caller, long projectId, String recordingId, String lastEventId,
            String after, Context context) {
        return recordingId(recordingId).chain(id -> validatedOrNotFound(projectId, id,
                () -> StreamStart.parse(lastEventId, after))
                .chain(position -> liveStreams.open(caller, projectId, id, position, context)))
                .onItem().ifNull().failWith(RecordingService::notFound);
    }

    /** What an append did, and the recording after it when it was asked for. */
    public record Appended(AppendResult summary, RecordingRepository.Read recording) {
    }

    /**
     * Changes the recording's fields, and replaces its transcript when the body has one, in one transaction that
     * holds the row's lock; the answer is read after the commit.
     */
    public Uni<RecordingRepository.Read> update(long projectId, String recordingId,
            Supplier<RecordingChanges> changes) {
        return recordingId(recordingId).chain(id -> validatedOrNotFound(projectId, id, changes)
                .chain(valid -> Panache.withTransaction(() -> recordings.lockForUpdate(projectId, id)
                        .onItem().ifNotNull().transformToUni(recording -> {
                            valid.applyTo(recording);
                            return valid.transcriptSegments() == null ? Uni.createFrom().item(recording)
                                    : transcripts.replaceAll(id, valid.transcriptSegments()).replaceWith(recording);
                        }))))
                .onItem().ifNull().failWith(RecordingService::notFound)
                .chain(updated -> retrieve(projectId, recordingId));
    }

    /**
     * Appends a batch of segments; the answer has the recording when {@code withRecording}, else only the summary.
     * The recording is read after the append has committed, so that the append holds its row lock no longer than
     * its own statement.
     */
    public Uni<Appended> append(long projectId, String recordingId, Supplier<ObjectNode> body,
            boolean withRecording) {
        return recordingId(recordingId).chain(id -> validatedOrNotFound(projectId, id,
                () -> TranscriptService.batch(body.get()))
                .chain(batch -> transcripts.append(projectId, id, batch)))
                .onItem().ifNull().failWith(RecordingService::notFound)
                .onFailure(failure -> failure instanceof ApiException refused && refused.status() < 500)
                .invoke(transcripts::refusedAppend)
                .chain(summary -> withRecording
                        ? retrieve(projectId, recordingId).map(recording -> new Appended(summary, recording))
                        : Uni.createFrom().item(new Appended(summary, null)));
    }

    /** Segments of the project's recordings that contain a phrase. */
    public Uni<SegmentSearch.Page> searchSegments(long projectId, SegmentSearch.Query query) {
        return transcripts.search(projectId, query);
    }

    /** Renames (or merges) a speaker across the transcript and the participants. */
    public Uni<SpeakerRename> renameSpeaker(long projectId, String recordingId, Supplier<ObjectNode> body) {
        return recordingId(recordingId).chain(id -> validatedOrNotFound(projectId, id,
                () -> TranscriptService.rename(body.get()))
                .chain(rename -> transcripts.renameSpeaker(projectId, id, rename)))
                .onItem().ifNull().failWith(RecordingService::notFound);
    }

    public Uni<Void> delete(long projectId, String recordingId) {
        return recordingId(recordingId).chain(id -> Panache.withTransaction(() -> recordings.delete(projectId, id)))
                .map(deleted -> {
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

    /** The recording id, or a 404 inside the pipeline when it is not a UUID. */
    private static Uni<UUID> recordingId(String recordingId) {
        return Uni.createFrom().item(() -> parseId(recordingId));
    }

    /** A recording id that is not a UUID cannot name a recording: 404, like any other unknown id. */
    private static UUID parseId(String recordingId) {
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
