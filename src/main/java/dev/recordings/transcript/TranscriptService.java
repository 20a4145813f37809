package dev.recordings.transcript;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.error.ApiException;
import dev.recordings.json.JsonFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * A recording's transcript: the append with its metrics, the replacement of the whole list, and the validation of
 * batches. The recording's own rules (which recording, the answer) are the caller's.
 */
@ApplicationScoped
public class TranscriptService {

    public static final int MAX_BATCH = 1000;

    private final TranscriptStore transcripts;
    private final AppendWatchers watchers;
    private final MeterRegistry metrics;
    private final Timer appendStatement;
    private final Counter batches;
    private final Counter appendsOk;
    private final Counter appendsAllRetries;
    private final Counter appendsRefused;
    private final DistributionSummary batchSizes;
    private final Counter appendedSegments;
    private final Counter replacedSegments;
    private final Counter droppedSegments;

    public TranscriptService(TranscriptStore transcripts, AppendWatchers watchers, MeterRegistry metrics) {
        this.transcripts = transcripts;
        this.watchers = watchers;
        this.metrics = metrics;
        this.appendStatement = Timer.builder("recordings.transcript.append.statement")
                .description("Time of the append statement, database round trip included")
                .publishPercentileHistogram().register(metrics);
        this.batches = Counter.builder("recordings.transcript.batches")
                .description("Batches of segments accepted").register(metrics);
        this.batchSizes = DistributionSummary.builder("recordings.transcript.batch.size")
                .description("Segments per accepted batch").baseUnit("segments")
                .publishPercentileHistogram().register(metrics);
        this.appendsOk = appends(metrics, "ok");
        this.appendsAllRetries = appends(metrics, "retries_dropped");
        this.appendsRefused = appends(metrics, "refused");
        this.appendedSegments = segments(metrics, "appended");
        this.replacedSegments = segments(metrics, "replaced");
        this.droppedSegments = segments(metrics, "dropped");
    }

    private static Counter appends(MeterRegistry metrics, String outcome) {
        return Counter.builder("recordings.transcript.appends").tag("outcome", outcome)
                .description("Append requests, by outcome: ok (something appended or replaced), retries_dropped "
                        + "(every segment a retry already stored), refused (an invalid batch, or no such recording)")
                .register(metrics);
    }

    /** An append refused with a 4xx: an invalid batch, or no such recording (the caller knows which). */
    public void refusedAppend() {
        appendsRefused.increment();
    }

    private static Counter segments(MeterRegistry metrics, String result) {
        return Counter.builder("recordings.transcript.segments").tag("result", result)
                .description("Segments of accepted batches, by what the merge did with them").register(metrics);
    }

    /**
     * Appends a validated batch; null when the project has no such recording. A batch that only appended is handed
     * to this replica's watchers of the recording, when there are some, with the segments as stored.
     */
    public Uni<AppendResult> append(long projectId, UUID id, Batch batch) {
        Timer.Sample sample = Timer.start(metrics);
        boolean watched = watchers.watches(id);
        return transcripts.append(projectId, id, batch.json(), watched)
                .map(appended -> {
                    sample.stop(appendStatement);
                    if (appended == null) {
                        return null;
                    }
                    AppendResult result = appended.result();
                    record(batch.size(), result);
                    if (watched && result.replaced() == 0 && appended.segments() != null) {
                        watchers.appended(new AppendWatchers.SegmentsAppended(id,
                                result.segmentCount() - result.appended(), result.segmentCount(),
                                appended.changeSeq(), appended.segments()));
                    }
                    return result;
                });
    }

    /** Replaces the whole transcript within the current transaction, which holds the recording's row lock. */
    public Uni<Void> replaceAll(UUID id, String segments) {
        return transcripts.replaceAll(id, segments);
    }

    /** A validated rename: from (null for segments without a speaker) to a speaker. */
    /** The segments from position {@code from} up to {@code until}; null when the project has no such recording. */
    public Uni<TranscriptWindow> window(long projectId, UUID id, int from, int until) {
        return transcripts.window(projectId, id, from, until, new int[0]);
    }

    public record Rename(String from, String to) {
    }

    /** The longest speaker name a rename gives. */
    public static final int SPEAKER_MAX = 255;

    /** A rename body: {@code from} required but may be null (a blank one means null), {@code to} not blank. */
    public static Rename rename(ObjectNode body) {
        if (!body.has("from")) {
            throw JsonFields.required("from");
        }
        String from = JsonFields.string(body.get("from"), "from", true, true, SPEAKER_MAX);
        if (!body.has("to")) {
            throw JsonFields.required("to");
        }
        String to = JsonFields.string(body.get("to"), "to", false, false, SPEAKER_MAX);
        return new Rename(from == null || from.isEmpty() ? null : from, to);
    }

    /** Renames a speaker across the transcript; null when the project has no such recording. */
    public Uni<SpeakerRename> renameSpeaker(long projectId, UUID id, Rename rename) {
        return transcripts.renameSpeaker(projectId, id, rename.from(), rename.to());
    }

    /** Segments of the project whose text contains the query's phrase, one page of them. */
    public Uni<SegmentSearch.Page> search(long projectId, SegmentSearch.Query query) {
        return transcripts.search(projectId, query);
    }

    private void record(int batchSize, AppendResult result) {
        (result.appended() + result.replaced() == 0 ? appendsAllRetries : appendsOk).increment();
        batches.increment();
        batchSizes.record(batchSize);
        appendedSegments.increment(result.appended());
        replacedSegments.increment(result.replaced());
        droppedSegments.increment(result.dropped());
    }

    /** A validated batch: the JSON text of its segments as they are stored. */
    public record Batch(String json, int size) {
    }

    /** The batch as the JSON text of its validated segments; any invalid segment fails the whole batch. */
    public static Batch batch(ObjectNode body) {
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
        return new Batch(TranscriptSegments.validate(segments, "segments").toString(), segments.size());
    }
}
