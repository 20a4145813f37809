package dev.recordings.transcript;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The append: one UPDATE on the recording's row, in which PostgreSQL merges the batch (the function
 * {@code merge_transcript_segments} of the migrations) and concatenates it to the stored list. The row is locked by
 * the statement itself, so concurrent batches queue on it and each is merged into the result of the one before.
 */
@ApplicationScoped
public class TranscriptRepository {

    /*
     * FOR UPDATE makes the merge read the newest committed list: under READ COMMITTED a batch that waited for
     * another on this row sees that other's segments, so no acknowledged segment is lost or applied twice.
     * "|| '[]'" decompresses the stored list once, here, instead of once for every test the merge makes on it.
     */
    private static final String APPEND = """
            WITH target AS (
                SELECT id, transcript_segments || '[]'::jsonb AS transcript_segments FROM desktop_recordings
                WHERE id = $1 AND team_id = $2
                FOR UPDATE
            ), merged AS (
                SELECT t.id, m.*
                FROM target t CROSS JOIN LATERAL merge_transcript_segments(t.transcript_segments, $3::text::jsonb) m
            )
            UPDATE desktop_recordings r
            SET transcript_segments = coalesce(m.rewritten, r.transcript_segments) || m.appended,
                transcript_text = CASE
                    WHEN m.rewritten IS NULL THEN concat_ws(' ', nullif(r.transcript_text, ''), m.appended_text)
                    ELSE (SELECT coalesce(string_agg(x.segment ->> 'text', ' ' ORDER BY x.position), '')
                          FROM jsonb_array_elements(m.rewritten || m.appended) WITH ORDINALITY AS x(segment, position))
                END,
                updated_at = now()
            FROM merged m
            WHERE r.id = m.id
            RETURNING m.appended_count, m.replaced_count, m.dropped_count,\s""";

    private static final String FULL = APPEND + "jsonb_array_length(r.transcript_segments) AS segment_count, "
            + RecordingRepository.COLUMNS;
    /** Public for the benchmark, which runs this very statement without HTTP to find the database's own limit. */
    public static final String MINIMAL_APPEND = APPEND
            + "r.id, jsonb_array_length(r.transcript_segments) AS segment_count, r.updated_at";

    /** What an append did, and the recording after it when it was asked for. */
    public record Appended(AppendResult summary, Recording recording) {
    }

    private final Pool pool;

    public TranscriptRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Appends a batch (the JSON text of validated segments); null when the project has no such recording. With
     * {@code withRecording} false the whole transcript is not even sent back from the database.
     */
    public Uni<Appended> append(long projectId, UUID id, String batch, boolean withRecording) {
        return pool.preparedQuery(withRecording ? FULL : MINIMAL_APPEND).execute(Tuple.of(id, projectId, batch))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Appended(summary(row),
                            withRecording ? RecordingRepository.toRecording(row) : null);
                });
    }

    private static AppendResult summary(Row row) {
        return new AppendResult(row.getUUID("id"), row.getInteger("segment_count"), row.getInteger("appended_count"),
                row.getInteger("replaced_count"), row.getInteger("dropped_count"),
                row.getOffsetDateTime("updated_at"));
    }
}
