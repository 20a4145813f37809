package dev.recordings.retention;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.recordings.config.RecordingsConfig;
import dev.recordings.recall.RecallEventRepository;
import dev.recordings.recording.RecordingRepository;
import dev.recordings.webhook.WebhookStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Has recordings older than their project's {@code retention_days} deleted (with their transcripts, by the foreign
 * keys' cascade), Recall.ai webhook deliveries older than the deduplication window and outbound webhook deliveries as
 * old, each by the package that owns their tables: every
 * {@code recordings.retention.interval} on one replica at a time, and on demand from the admin API. One replica at
 * a time through a lease row in the database, so no extra infrastructure; in batches, so no statement holds many
 * locks for long.
 */
@ApplicationScoped
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class);
    /** How long a sweep may hold the lease (V9__webhook_claims_and_set_aside.sql) before another may take it. */
    private static final Duration LEASE = Duration.ofMinutes(15);
    private final Pool pool;
    private final RecordingRepository recordings;
    private final RecallEventRepository recallEvents;
    private final WebhookStore webhooks;
    private final int batchSize;
    private final int webhookDeliveryDays;
    private final Counter deletedRecordings;
    private final Counter deletedDeliveries;
    private final Counter deletedOutbound;

    public RetentionService(Pool pool, RecordingRepository recordings, RecallEventRepository recallEvents,
            WebhookStore webhooks, RecordingsConfig config, MeterRegistry metrics) {
        this.pool = pool;
        this.recordings = recordings;
        this.recallEvents = recallEvents;
        this.webhooks = webhooks;
        this.batchSize = config.retention().batchSize();
        this.webhookDeliveryDays = config.retention().webhookDeliveryDays();
        this.deletedRecordings = deleted(metrics, "recordings");
        this.deletedDeliveries = deleted(metrics, "webhook_deliveries");
        this.deletedOutbound = deleted(metrics, "outbound_webhook_deliveries");
    }

    private static Counter deleted(MeterRegistry metrics, String kind) {
        return Counter.builder("recordings.retention.deleted").tag("kind", kind)
                .description("Rows deleted by the retention sweep").register(metrics);
    }

    @Scheduled(every = "${recordings.retention.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep().onFailure().invoke(failure -> LOG.warnf("Retention sweep failed: %s", failure.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One sweep now; the number of recordings it deleted (0 when another replica is sweeping). */
    public Uni<Long> sweep() {
        String holder = UUID.randomUUID().toString();
        return pool.preparedQuery("UPDATE retention_lease SET holder = $1, held_until = now() + make_interval(secs "
                + "=> $2) WHERE held_until < now()").execute(Tuple.of(holder, (double) LEASE.toSeconds()))
                .chain(taken -> taken.rowCount() == 0 ? Uni.createFrom().item(0L)
                        : sweepHoldingTheLease().eventually(() -> pool.preparedQuery("UPDATE retention_lease SET "
                                + "held_until = '-infinity' WHERE holder = $1").execute(Tuple.of(holder))));
    }

    private Uni<Long> sweepHoldingTheLease() {
        return recordings.deletePastRetention(batchSize)
                .chain(oldRecordings -> recallEvents.prune(webhookDeliveryDays, batchSize)
                        .chain(deliveries -> webhooks.prune(webhookDeliveryDays).map(outbound -> {
                            deletedRecordings.increment(oldRecordings);
                            deletedDeliveries.increment(deliveries);
                            deletedOutbound.increment(outbound);
                            if (oldRecordings + deliveries + outbound > 0) {
                                LOG.infof("Retention sweep deleted %d recordings, %d Recall.ai webhook deliveries "
                                        + "and %d outbound webhook deliveries", oldRecordings, deliveries, outbound);
                            }
                            return oldRecordings;
                        })));
    }
}
