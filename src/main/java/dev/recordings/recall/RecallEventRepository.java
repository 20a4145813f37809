package dev.recordings.recall;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies a Recall.ai event to its recording in one transaction: the delivery is recorded (so a redelivery is a
 * no-op) and the recording's status moves, only forward ({@link RecordingStatusMoves}), together.
 */
@ApplicationScoped
public class RecallEventRepository {

    /** What a delivery did. */
    public enum Outcome {
        APPLIED, DUPLICATE, UNKNOWN_UPLOAD, UNCHANGED
    }

    private final Pool pool;
    private final RecordingStatusMoves recordings;

    public RecallEventRepository(Pool pool, RecordingStatusMoves recordings) {
        this.pool = pool;
        this.recordings = recordings;
    }

    public Uni<Outcome> apply(String deliveryId, RecallEvent event) {
        return pool.withTransaction(transaction -> transaction.preparedQuery("INSERT INTO recall_webhook_deliveries "
                + "(svix_id, event) VALUES ($1, $2) ON CONFLICT (svix_id) DO NOTHING")
                .execute(Tuple.of(deliveryId, event.event()))
                .chain(recorded -> recorded.rowCount() == 0 ? Uni.createFrom().item(Outcome.DUPLICATE)
                        : recordings.moveForward(transaction, event.sdkUploadId(), event.recordingId(),
                                event.status(), event.recallRecordingId(), event.errorMessage())
                                .map(move -> !move.known() ? Outcome.UNKNOWN_UPLOAD
                                        : move.applied() ? Outcome.APPLIED : Outcome.UNCHANGED)));
    }

    /**
     * Deletes deliveries received more than {@code days} ago (past the deduplication window), {@code batch} at a
     * time; answers how many.
     */
    public Uni<Long> prune(int days, int batch) {
        return pruneInBatches(days, batch, 0);
    }

    private Uni<Long> pruneInBatches(int days, int batch, long deletedSoFar) {
        return pool.preparedQuery("""
                        DELETE FROM recall_webhook_deliveries d WHERE d.svix_id IN (
                            SELECT o.svix_id FROM recall_webhook_deliveries o
                            WHERE o.received_at < now() - make_interval(days => $2)
                            LIMIT $1)""").execute(Tuple.of(batch, days))
                .chain(rows -> rows.rowCount() < batch ? Uni.createFrom().item(deletedSoFar + rows.rowCount())
                        : pruneInBatches(days, batch, deletedSoFar + rows.rowCount()));
    }
}
