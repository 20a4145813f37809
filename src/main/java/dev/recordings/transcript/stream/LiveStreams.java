package dev.recordings.transcript.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.recordings.auth.ApiCaller;
import dev.recordings.auth.AccessChanged;
import dev.recordings.auth.ApiKeyRepository;
import dev.recordings.config.RecordingsConfig;
import dev.recordings.error.ApiException;
import dev.recordings.transcript.AppendWatchers;
import dev.recordings.transcript.TranscriptChange;
import dev.recordings.transcript.TranscriptChanges;
import dev.recordings.transcript.TranscriptStore;
import dev.recordings.transcript.TranscriptWindow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The live transcript streams open on this pod, by recording, with their limit. A few times a second the pod asks
 * the database, in one statement, where the recordings they watch stand (TranscriptStore.watched), and hands each
 * stream what changed since it last knew: new segments by count, and the logged changes by number. An append taken
 * by this replica hands its segments over as it commits, and a stream that is up to date sends them without a read.
 * Nothing on the append path waits for a viewer. Also keeps the streams alive, ends those whose key or membership
 * is gone, and ends them all when the pod shuts down: an open stream is a request in flight, and the graceful
 * shutdown would otherwise wait its whole timeout for them.
 */
@ApplicationScoped
public class LiveStreams implements AppendWatchers {

    private static final Logger LOG = Logger.getLogger(LiveStreams.class);
    /** Well inside the contract's second from a commit to every replica's streams, at one small statement a tick. */
    private static final Duration POLL_EVERY = Duration.ofMillis(250);

    private final Map<UUID, Set<LiveStream>> byRecording = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final int limit;
    private final TranscriptStore transcripts;
    private final ApiKeyRepository keys;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final SegmentEvents segmentEvents;
    private volatile boolean closing;
    private volatile boolean pollFailing;
    private long timer = -1;

    public LiveStreams(RecordingsConfig config, TranscriptStore transcripts, ApiKeyRepository keys,
            ObjectMapper mapper, io.vertx.mutiny.core.Vertx vertx, MeterRegistry metrics) {
        this.limit = config.maxStreams();
        this.transcripts = transcripts;
        this.keys = keys;
        this.mapper = mapper;
        this.vertx = vertx.getDelegate();
        metrics.gauge("recordings.live_streams", open);
        this.segmentEvents = new SegmentEvents(segmentEvents(metrics, "memory"), segmentEvents(metrics, "database"));
    }

    private static Counter segmentEvents(MeterRegistry metrics, String source) {
        return Counter.builder("recordings.live_streams.segment_events").tag("source", source)
                .description("Segments events sent by live streams, by where their segments came from: an append on "
                        + "this replica, or a read").register(metrics);
    }

    /** The counters of segments events, by where their segments came from. */
    record SegmentEvents(Counter fromMemory, Counter fromDatabase) {
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(POLL_EVERY.toMillis(), tick -> poll());
    }

    /**
     * Opens a stream of a recording of the project from position {@code after}; null when the project has no such
     * recording. The first read is done here, before the answer starts, so that an unknown recording still answers
     * 404 as JSON. {@code context} is the request's.
     */
    public Uni<Multi<Buffer>> open(ApiCaller caller, long project, UUID recording, int after, Context context) {
        if (closing) {
            return Uni.createFrom().failure(ApiException.serviceUnavailable(
                    "This instance is shutting down; retry shortly.", Map.of("Retry-After", "1")));
        }
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            return Uni.createFrom().failure(ApiException.serviceUnavailable(
                    "This instance holds as many live streams as it may (" + limit + "); retry shortly.",
                    Map.of("Retry-After", "5")));
        }
        return transcripts.window(project, recording, after, after + LiveStream.READ_AT_MOST, StreamChange.NONE)
                .onItemOrFailure().transformToUni((window, failure) -> {
                    if (failure != null || window == null) {
                        open.decrementAndGet();
                        return failure != null ? Uni.createFrom().failure(failure) : Uni.createFrom().nullItem();
                    }
                    return Uni.createFrom().item(watch(caller, project, recording, context, window));
                });
    }

    /**
     * Registers a stream that knows the transcript as {@code first} shows it: every change after that read is
     * either in the count or numbered after its change number, so the next poll brings exactly the rest.
     */
    private Multi<Buffer> watch(ApiCaller caller, long project, UUID recording, Context context,
            TranscriptWindow first) {
        LiveStream stream = new LiveStream(recording, project, caller.keyId(), context, transcripts, segmentEvents,
                this::forget);
        stream.seenCount = first.count();
        stream.seenChange = first.changeSeq();
        byRecording.compute(recording, (id, streams) -> {
            Set<LiveStream> watching = streams != null ? streams : ConcurrentHashMap.newKeySet();
            watching.add(stream);
            return watching;
        });
        return stream.events(first);
    }

    @Override
    public boolean watches(UUID recording) {
        return byRecording.containsKey(recording);
    }

    @Override
    public void appended(AppendWatchers.SegmentsAppended appended) {
        Set<LiveStream> streams = byRecording.get(appended.recording());
        if (streams != null) {
            streams.forEach(stream -> stream.appended(appended));
        }
    }

    private void poll() {
        if (byRecording.isEmpty() || !polling.compareAndSet(false, true)) {
            return;
        }
        List<UUID> ids = new ArrayList<>(byRecording.size());
        List<Integer> seen = new ArrayList<>(byRecording.size());
        byRecording.forEach((recording, streams) -> streams.stream().mapToInt(stream -> stream.seenChange).min()
                .ifPresent(least -> {
                    ids.add(recording);
                    seen.add(least);
                }));
        transcripts.changesSince(ids.toArray(UUID[]::new), seen.toArray(Integer[]::new)).subscribe().with(watched -> {
            if (pollFailing) {
                LOG.info("Live streams hear of changes again");
                pollFailing = false;
            }
            for (int index = 0; index < watched.size(); index++) {
                deliver(watched.get(index), seen.get(index));
            }
            polling.set(false);
        }, failure -> {
            if (!pollFailing) {
                LOG.warnf("Live streams hear of no changes while the database does not answer (%s); they catch up "
                        + "once it does", failure.getMessage());
                pollFailing = true;
            }
            polling.set(false);
        });
    }

    /**
     * Hands each stream of the recording what changed since it last knew; {@code asked} is the change number the
     * poll read the log after. Runs for one poll at a time.
     */
    private void deliver(TranscriptChanges recording, int asked) {
        Set<LiveStream> streams = byRecording.get(recording.recording());
        if (streams == null) {
            return;
        }
        if (recording.deleted()) {
            streams.forEach(stream -> stream.deliver(StreamChange.deleted(recording.recording())));
            return;
        }
        for (LiveStream stream : streams) {
            // a stream registered while the poll ran may know less than it asked for: the next poll serves it
            if (recording.changeSeq() > stream.seenChange && stream.seenChange >= asked) {
                List<TranscriptChange> logged = recording.after(stream.seenChange);
                List<StreamChange> changes = new ArrayList<>();
                if (logged == null) {
                    // pruned before this replica saw it: what the stream has sent may be stale anywhere
                    changes = List.of(StreamChange.rewritten(recording.recording()),
                            StreamChange.status(recording.recording(), recording.status()));
                } else {
                    for (TranscriptChange change : logged) {
                        StreamChange shown = StreamChange.of(recording.recording(), change);
                        if (shown != null) {
                            changes.add(shown);
                        }
                    }
                }
                stream.deliver(changes, recording.changeSeq());
                stream.seenChange = recording.changeSeq();
            }
            if (recording.count() != stream.seenCount) {
                stream.moreUpTo(recording.count());
                stream.seenCount = recording.count();
            }
        }
    }

    void endAll() {
        byRecording.values().forEach(streams -> streams.forEach(LiveStream::close));
    }

    void beginShutdown(@Observes ShutdownDelayInitiatedEvent delay) {
        shutDown();
    }

    void shutDown(@Observes ShutdownEvent shutdown) {
        shutDown();
    }

    private void shutDown() {
        if (!closing) {
            closing = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            LOG.infof("Ending %d live streams for the shutdown", open.get());
            endAll();
        }
    }

    @Scheduled(every = "${recordings.stream.keep-alive}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void keepAlive() {
        byRecording.values().forEach(streams -> streams.forEach(LiveStream::keepAlive));
    }

    /** Removes the change log rows no stream can still need (they are kept ten minutes: once a minute is enough). */
    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pruneChangeLog() {
        return transcripts.pruneChangeLog()
                .onFailure().invoke(failure -> LOG.warnf("The change log's pruning failed: %s", failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /**
     * Keys or memberships changed (the caller cache saw it, within a second on every replica): ends the streams
     * whose key has been revoked, or whose user has left the project (or the key lost it).
     */
    void accessChanged(@Observes AccessChanged changed) {
        endRevoked().subscribe().with(done -> {
        }, failure -> LOG.warnf("The access check of live streams failed: %s", failure.getMessage()));
    }

    private Uni<Void> endRevoked() {
        List<LiveStream> streams = new ArrayList<>();
        byRecording.values().forEach(streams::addAll);
        if (streams.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ApiKeyRepository.Grant> grants = streams.stream()
                .map(stream -> new ApiKeyRepository.Grant(stream.keyId, stream.project)).distinct().toList();
        return keys.stillGranted(grants).invoke(granted -> streams.stream()
                .filter(stream -> !granted.contains(new ApiKeyRepository.Grant(stream.keyId, stream.project)))
                .forEach(LiveStream::close))
                .onFailure().invoke(failure -> LOG.warnf("The access check of live streams failed: %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private void forget(LiveStream stream) {
        boolean[] removed = { false };
        byRecording.computeIfPresent(stream.recording, (id, streams) -> {
            removed[0] = streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
        if (removed[0]) {
            open.decrementAndGet();
        }
    }
}
