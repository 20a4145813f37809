package dev.recordings.recall;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies a Recall.ai event to its recording in one statement: the delivery is recorded (so a redelivery is a
 * no-op) and the status moves, only forward, in the same atomic step. A PATCH from the desktop app racing it waits
 * for the row lock, and this statement re-checks its condition on the newest row, so neither write is lost.
 */
@ApplicationScoped
public class RecallEventRepository {

    /** What a delivery did. */
    public enum Outcome {
        APPLIED, DUPLICATE, UNKNOWN_UPLOAD, UNCHANGED
    }

    // Status moves forward only: recording -> uploading -> processing -> ready; error from any other status.
    private static final String APPLY = """
            WITH delivery AS (
                INSERT INTO recall_webhook_deliveries (svix_id, event) VALUES ($1, $2)
                ON CONFLICT (svix_id) DO NOTHING
                RETURNING svix_id
            ), target AS (
                SELECT id FROM desktop_recordings
                WHERE sdk_upload_id = $3 OR id = $4
                ORDER BY (sdk_upload_id = $3) DESC NULLS LAST
                LIMIT 1
            ), updated AS (
                UPDATE desktop_recordings r
                SET status = $5::text,
                    recall_recording_id = coalesce($6, r.recall_recording_id),
                    error_message = CASE WHEN $5::text = 'error' THEN $7::text ELSE r.error_message END,
                    updated_at = now()
                FROM target t
                WHERE r.id = t.id
                  AND EXISTS (SELECT 1 FROM delivery)
                  AND r.status <> 'error'
                  AND ($5::text = 'error'
                       OR array_position(ARRAY['recording', 'uploading', 'processing', 'ready'], r.status::text)
                          < array_position(ARRAY['recording', 'uploading', 'processing', 'ready'], $5::text))
                RETURNING r.id
            )
            SELECT (SELECT count(*) FROM delivery) AS fresh,
                   (SELECT count(*) FROM target) AS known,
                   (SELECT count(*) FROM updated) AS applied""";

    private final Pool pool;

    public RecallEventRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Outcome> apply(String deliveryId, RecallEvent event) {
        Tuple values = Tuple.tuple()
                .addString(deliveryId)
                .addString(event.event())
                .addUUID(event.sdkUploadId())
                .addUUID(event.recordingId())
                .addString(event.status())
                .addUUID(event.recallRecordingId())
                .addString(event.errorMessage());
        return pool.preparedQuery(APPLY).execute(values).map(rows -> outcome(rows.iterator().next()));
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

    private static Outcome outcome(Row row) {
        if (row.getLong("fresh") == 0) {
            return Outcome.DUPLICATE;
        }
        if (row.getLong("known") == 0) {
            return Outcome.UNKNOWN_UPLOAD;
        }
        return row.getLong("applied") > 0 ? Outcome.APPLIED : Outcome.UNCHANGED;
    }
}
