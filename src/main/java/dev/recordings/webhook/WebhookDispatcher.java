package dev.recordings.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;


import dev.recordings.config.RecordingsConfig;
import dev.recordings.error.ErrorAnswers;
import dev.recordings.recording.Recording;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Schedules and claims: on every replica, once a second, claims the outbox's recording changes (each change once, by
 * whichever replica locks it first) and the transcripts due for their coalesced announcement, has
 * {@link EventDeliveries} turn them into deliveries, then has the sender attempt what is due. Each batch is one transaction: the deliveries are written and the outbox
 * rows removed together, so a replica that dies midway leaves the changes to the next. Every read of a batch goes
 * through that transaction's connection: once it holds rows that appends may wait for, it must never wait for a
 * connection of the pool, which those appends hold (under load that deadlocked until the pool's wait timed out).
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int BATCH = 100;
    private static final Long[] NONE = {};
    /** Dispatches an event may fail on its own before it is set aside. */
    static final int STRIKES = 3;
    /** A transcript announced and unchanged this long turns quiet; every this many ticks quiet ones are looked at. */
    static final Duration QUIET_AFTER = Duration.ofMinutes(10);
    static final int QUIET_SWEEP_TICKS = 30;

    private final Pool pool;
    private final Vertx vertx;
    private final WebhookStore store;
    private final WebhookSender sender;
    private final EventDeliveries deliveries;
    private final Duration transcriptInterval;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Counter setAside;
    private long timer = -1;
    private long ticks;

    public WebhookDispatcher(Pool pool, Vertx vertx, WebhookStore store, WebhookSender sender,
            EventDeliveries deliveries, RecordingsConfig config, MeterRegistry metrics) {
        this.pool = pool;
        this.vertx = vertx;
        this.store = store;
        this.sender = sender;
        this.deliveries = deliveries;
        this.transcriptInterval = config.webhooks().transcriptInterval();
        this.setAside = Counter.builder("recordings.webhooks.events.set_aside").description("Outbox events that "
                + "could not be turned into deliveries and were set aside").register(metrics);
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(TICK.toMillis(), tick -> tick());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Uni<Void> settle = ++ticks % QUIET_SWEEP_TICKS == 0 ? store.settleQuietTranscripts(QUIET_AFTER)
                : Uni.createFrom().voidItem();
        dispatchEvents().chain(this::dispatchTranscripts).chain(() -> settle).chain(sender::attemptDue)
                .subscribe().with(done -> running.set(false), failure -> {
                    LOG.debugf("A webhook dispatch failed (the next one goes on): %s", failure.toString());
                    running.set(false);
                });
    }

    // Recording changes

    /**
     * A batch of changes in one transaction; when the batch fails (and the database is there), each change again in
     * a transaction of its own, so that one that cannot be rendered is found and the rest flow on. An event that
     * fails on its own in {@value #STRIKES} dispatches is set aside (a transient failure is not a reason to).
     */
    Uni<Void> dispatchEvents() {
        return pool.withTransaction(transaction -> dispatchEvents(transaction, BATCH, NONE, ids -> {
        })).replaceWithVoid().onFailure(failure -> !ErrorAnswers.isDatabaseUnavailable(failure))
                .recoverWithUni(failure -> oneByOne(BATCH, new ArrayList<>()));
    }

    private Uni<Void> oneByOne(int left, List<Long> failed) {
        if (left == 0) {
            return Uni.createFrom().voidItem();
        }
        long[] claimed = { -1 };
        return pool.withTransaction(transaction -> dispatchEvents(transaction, 1, failed.toArray(Long[]::new),
                ids -> claimed[0] = ids.isEmpty() ? -1 : ids.get(0)))
                .map(ids -> !ids.isEmpty()).onFailure(failure -> !ErrorAnswers.isDatabaseUnavailable(failure))
                .recoverWithUni(failure -> {
                    if (claimed[0] < 0) {
                        return Uni.createFrom().failure(failure);
                    }
                    long event = claimed[0];
                    failed.add(event);
                    return store.failedAlone(event, failure.toString(), STRIKES).map(setAside -> {
                        if (setAside) {
                            LOG.warnf("Outbox event %d could not be turned into deliveries %d times and is set aside "
                                    + "(webhook_events.set_aside_at): %s", event, STRIKES, failure.toString());
                            this.setAside.increment();
                        }
                        return true;
                    });
                })
                .chain(more -> more ? oneByOne(left - 1, failed) : Uni.createFrom().voidItem());
    }

    /** Turns up to {@code limit} changes into deliveries in the transaction; answers the ids of those claimed. */
    private Uni<List<Long>> dispatchEvents(SqlClient transaction, int limit, Long[] skipped,
            Consumer<List<Long>> claimed) {
        return store.claimEvents(transaction, limit, skipped).chain(events -> {
            List<Long> ids = events.stream().map(WebhookStore.Event::id).toList();
            claimed.accept(ids);
            if (events.isEmpty()) {
                return Uni.createFrom().item(ids);
            }
            return Uni.createFrom().deferred(() -> deliveries.forChanges(transaction, events))
                    .chain(() -> store.removeEvents(transaction, events)).replaceWith(ids);
        });
    }

    // Transcripts

    Uni<Void> dispatchTranscripts() {
        return pool.withTransaction(transaction -> store.claimTranscripts(transaction, transcriptInterval, BATCH)
                .chain(dirty -> Multi.createFrom().iterable(dirty)
                        .onItem().transformToUniAndConcatenate(transcript -> deliveries.forTranscript(transaction,
                                transcript))
                        .collect().asList().replaceWithVoid()));
    }
}
