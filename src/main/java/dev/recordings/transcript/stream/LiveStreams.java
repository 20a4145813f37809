package dev.recordings.transcript.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.recordings.auth.ApiCaller;
import dev.recordings.auth.ApiKeyRepository;
import dev.recordings.config.RecordingsConfig;
import dev.recordings.error.ApiException;
import dev.recordings.transcript.TranscriptStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The live transcript streams open on this pod, by recording, with their limit; the changes the listener hears go
 * to the streams of their recording. Also keeps them alive, ends those whose key or membership is gone, and ends
 * them all when the pod shuts down: an open stream is a request in flight, and the graceful shutdown would otherwise
 * wait its whole timeout for them.
 */
@ApplicationScoped
public class LiveStreams {

    private static final Logger LOG = Logger.getLogger(LiveStreams.class);

    static final int PENDING = 0;
    static final int WATCHED = 1;
    static final int FORGOTTEN = 2;

    /** This instance, in transcript_watchers. */
    private final UUID instance = UUID.randomUUID();
    private final Map<UUID, Set<LiveStream>> byRecording = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final int limit;
    private final TranscriptStore transcripts;
    private final ApiKeyRepository keys;
    private volatile boolean listening;
    private volatile boolean closing;

    public LiveStreams(RecordingsConfig config, TranscriptStore transcripts, ApiKeyRepository keys,
            MeterRegistry metrics) {
        this.limit = config.maxStreams();
        this.transcripts = transcripts;
        this.keys = keys;
        metrics.gauge("recordings.live_streams", open);
    }

    /**
     * Opens a stream of a recording of the project from position {@code after}; null when the project has no such
     * recording. The first read is done here, before the answer starts, so that an unknown recording still answers
     * 404 as JSON. {@code context} is the request's.
     */
    public Uni<Multi<Buffer>> open(ApiCaller caller, long project, UUID recording, int after, Context context) {
        if (closing || !listening) {
            return Uni.createFrom().failure(ApiException.serviceUnavailable(
                    "Live transcripts are not available on this instance right now; retry shortly.",
                    Map.of("Retry-After", "1")));
        }
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            return Uni.createFrom().failure(ApiException.serviceUnavailable(
                    "This instance holds as many live streams as it may (" + limit + "); retry shortly.",
                    Map.of("Retry-After", "5")));
        }
        LiveStream stream = new LiveStream(recording, project, caller.keyId(), context, transcripts, this::forget);
        // Registered here and in transcript_watchers before the first read: a change that commits after that read
        // is announced, and reaches the stream.
        byRecording.compute(recording, (id, streams) -> {
            Set<LiveStream> watching = streams != null ? streams : ConcurrentHashMap.newKeySet();
            watching.add(stream);
            return watching;
        });
        return transcripts.watch(project, recording, instance)
                .invoke(watched -> {
                    if (watched && !stream.watcher.compareAndSet(PENDING, WATCHED)) {
                        unwatch(stream);
                    }
                })
                .chain(watched -> watched
                        ? transcripts.window(project, recording, after, after + LiveStream.READ_AT_MOST,
                                TranscriptChange.NONE)
                        : Uni.createFrom().nullItem())
                .onItemOrFailure().transformToUni((window, failure) -> {
                    if (failure != null || window == null) {
                        forget(stream);
                        return failure != null ? Uni.createFrom().failure(failure) : Uni.createFrom().nullItem();
                    }
                    return Uni.createFrom().item(stream.events(window));
                });
    }

    void deliver(TranscriptChange change) {
        Set<LiveStream> watching = byRecording.get(change.recording());
        if (watching != null) {
            watching.forEach(stream -> stream.deliver(change));
        }
    }

    void listening(boolean listening) {
        this.listening = listening;
        if (!listening) {
            endAll();
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
            LOG.infof("Ending %d live streams for the shutdown", open.get());
            endAll();
        }
    }

    @Scheduled(every = "${recordings.stream.keep-alive}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void keepAlive() {
        byRecording.values().forEach(streams -> streams.forEach(LiveStream::keepAlive));
    }

    /**
     * Ends the streams whose key has been revoked, or whose user has left the project (or the key lost it), and
     * keeps this instance's watcher rows alive (removing those of instances that are gone).
     */
    @Scheduled(every = "${recordings.stream.access-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkAccess() {
        return transcripts.refresh(instance)
                .onFailure().invoke(failure -> LOG.warnf("The refresh of live stream watchers failed: %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .chain(this::endRevoked);
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

    private void unwatch(LiveStream stream) {
        transcripts.unwatch(stream.recording, instance).subscribe().with(done -> {
        }, failure -> LOG.debugf("A watcher row is left for the sweep: %s", failure.getMessage()));
    }

    private void forget(LiveStream stream) {
        if (stream.watcher.getAndSet(FORGOTTEN) == WATCHED) {
            unwatch(stream);
        }
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
