package dev.recordings.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.recordings.config.RecordingsConfig;
import dev.recordings.webhook.WebhookStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes recordings older than their project's {@code retention_days} (with their transcripts, by the foreign keys'
 * cascade), Recall.ai webhook deliveries older than the deduplication window and outbound webhook deliveries as old
 * (WebhookStore.prune): every
 * {@code recordings.retention.interval} on one replica at a time, and on demand from the admin API. One replica at
 * a time through a lease row in the database, so no extra infrastructure; in batches, so no statement holds many
 * locks for long.
 */
@ApplicationScoped
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class);
    /** How long a sweep may hold the lease (V9__webhook_claims_and_set_aside.sql) before another may take it. */
    private static final Duration LEASE = Duration.ofMinutes(15);
    /**
     * A batch of recordings past their project's retention, then their deletion: two statements, because Citus
     * cannot run a deletion whose subquery has a limit over several shards. A recording found by one sweep and
     * deleted by hand before the second statement is simply not there.
     */
    private static final String OLD_RECORDINGS = """
            SELECT r.id FROM projects p
            JOIN desktop_recordings r ON r.team_id = p.id
            WHERE p.retention_days IS NOT NULL AND r.started_at < now() - make_interval(days => p.retention_days)
            LIMIT $1""";
    private static final String DELETE_RECORDINGS = "DELETE FROM desktop_recordings WHERE id = ANY ($1)";
    private static final String OLD_DELIVERIES = """
            DELETE FROM recall_webhook_deliveries d WHERE d.svix_id IN (
                SELECT o.svix_id FROM recall_webhook_deliveries o
                WHERE o.received_at < now() - make_interval(days => $2)
                LIMIT $1)""";

    private final Pool pool;
    private final WebhookStore webhooks;
    private final int batchSize;
    private final int webhookDeliveryDays;
    private final Counter deletedRecordings;
    private final Counter deletedDeliveries;
    private final Counter deletedOutbound;

    public RetentionService(Pool pool, WebhookStore webhooks, RecordingsConfig config, MeterRegistry metrics) {
        this.pool = pool;
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
        return oldRecordingsInBatches(0)
                .chain(recordings -> inBatches(OLD_DELIVERIES, Tuple.of(batchSize, webhookDeliveryDays), 0)
                        .chain(deliveries -> webhooks.prune(webhookDeliveryDays).map(outbound -> {
                            deletedRecordings.increment(recordings);
                            deletedDeliveries.increment(deliveries);
                            deletedOutbound.increment(outbound);
                            if (recordings + deliveries + outbound > 0) {
                                LOG.infof("Retention sweep deleted %d recordings, %d Recall.ai webhook deliveries "
                                        + "and %d outbound webhook deliveries", recordings, deliveries, outbound);
                            }
                            return recordings;
                        })));
    }

    private Uni<Long> oldRecordingsInBatches(long deletedSoFar) {
        return pool.preparedQuery(OLD_RECORDINGS).execute(Tuple.of(batchSize)).chain(found -> {
            List<UUID> ids = new ArrayList<>(found.size());
            found.forEach(row -> ids.add(row.getUUID(0)));
            if (ids.isEmpty()) {
                return Uni.createFrom().item(deletedSoFar);
            }
            return pool.preparedQuery(DELETE_RECORDINGS).execute(Tuple.of(ids.toArray(UUID[]::new)))
                    .chain(deleted -> ids.size() < batchSize ? Uni.createFrom().item(deletedSoFar + deleted.rowCount())
                            : oldRecordingsInBatches(deletedSoFar + deleted.rowCount()));
        });
    }

    private Uni<Long> inBatches(String delete, Tuple values, long deletedSoFar) {
        return pool.preparedQuery(delete).execute(values).chain(rows -> rows.rowCount() < batchSize
                ? Uni.createFrom().item(deletedSoFar + rows.rowCount())
                : inBatches(delete, values, deletedSoFar + rows.rowCount()));
    }
}
