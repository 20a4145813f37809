package dev.recordings.retention;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.recordings.config.RecordingsConfig;
import dev.recordings.webhook.WebhookStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes recordings older than their project's {@code retention_days} (with their transcripts, by the foreign keys'
 * cascade), Recall.ai webhook deliveries older than the deduplication window and outbound webhook deliveries as old
 * (WebhookStore.prune): every
 * {@code recordings.retention.interval} on one replica at a time, and on demand from the admin API. One replica at
 * a time through a PostgreSQL advisory lock, so no extra infrastructure; in batches, so no statement holds many
 * locks for long.
 */
@ApplicationScoped
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class);
    /** The advisory lock's key: any constant this database uses for nothing else ("retent" in ASCII). */
    private static final long SWEEP_LOCK = 0x726574656e74L;
    private static final String OLD_RECORDINGS = """
            DELETE FROM desktop_recordings d WHERE d.id IN (
                SELECT old.id FROM projects p
                CROSS JOIN LATERAL (SELECT r.id FROM desktop_recordings r
                                    WHERE r.team_id = p.id
                                      AND r.started_at < now() - make_interval(days => p.retention_days)
                                    LIMIT $1) old
                WHERE p.retention_days IS NOT NULL
                LIMIT $1)""";
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
        return pool.withConnection(connection -> connection.query("SELECT pg_try_advisory_lock(" + SWEEP_LOCK + ")")
                .execute().map(rows -> rows.iterator().next().getBoolean(0))
                .chain(locked -> !locked ? Uni.createFrom().item(0L)
                        : sweepHoldingTheLock(connection).eventually(() -> connection
                                .query("SELECT pg_advisory_unlock(" + SWEEP_LOCK + ")").execute())));
    }

    private Uni<Long> sweepHoldingTheLock(SqlConnection connection) {
        return inBatches(connection, OLD_RECORDINGS, Tuple.of(batchSize), 0)
                .chain(recordings -> inBatches(connection, OLD_DELIVERIES, Tuple.of(batchSize, webhookDeliveryDays), 0)
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

    private Uni<Long> inBatches(SqlConnection connection, String delete, Tuple values, long deletedSoFar) {
        return connection.preparedQuery(delete).execute(values).chain(rows -> rows.rowCount() < batchSize
                ? Uni.createFrom().item(deletedSoFar + rows.rowCount())
                : inBatches(connection, delete, values, deletedSoFar + rows.rowCount()));
    }
}
