package dev.recordings.recording;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.exception.ConstraintViolationException;

import dev.recordings.db.SqlConditions;
import dev.recordings.error.ConstraintNames;
import dev.recordings.recall.RecordingStatusMoves;
import dev.recordings.transcript.TranscriptCache;
import dev.recordings.transcript.TranscriptPart;
import dev.recordings.transcript.TranscriptStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Desktop recordings: written through Panache, in the caller's transaction; read for the API through one read-only
 * snapshot on the reactive pool, the metadata first and then the transcripts streamed from a cursor (see
 * {@link #read}), because Hibernate Reactive has no streaming query and a page of long transcripts must not be held
 * whole in memory.
 */
@ApplicationScoped
public class RecordingRepository implements PanacheRepositoryBase<Recording, UUID>, RecordingStatusMoves {

    /** The metadata columns, and the transcript's length, which decides how it is read. */
    private static final String COLUMNS = RecordingFields.COLUMNS;
    private final Pool pool;
    private final TranscriptStore transcripts;
    private final TranscriptCache cache;

    public RecordingRepository(Pool pool, TranscriptStore transcripts, TranscriptCache cache) {
        this.pool = pool;
        this.transcripts = transcripts;
        this.cache = cache;
    }

    /**
     * Recordings as the API reads them: the total count of the filter (when asked for), one page of metadata, and
     * the page's transcripts, all from one snapshot. Long transcripts come from a cursor whose lifetime the
     * transcript store's {@link TranscriptStore.Snapshot} owns.
     */
    public record Read(long count, List<Recording> recordings, Multi<TranscriptPart> transcripts) {

        /** A recording that has no transcript yet: a new one. */
        public static Read withoutTranscript(Recording recording) {
            return new Read(1, List.of(recording), Multi.createFrom().empty());
        }
    }

    /**
     * Creates the recording and reads back what the database filled in (defaults, timestamps). Its SDK upload id is
     * taken in {@code recording_uploads} first, in the same transaction: the table whose key makes it unique (a
     * Citus table cannot keep a unique index on another column than the one it is distributed by).
     */
    public Uni<Recording> insert(Recording recording) {
        return getSession().chain(session -> session.createNativeQuery("INSERT INTO recording_uploads "
                + "(sdk_upload_id, recording_id) VALUES (?1, ?2)").setParameter(1, recording.sdkUploadId)
                .setParameter(2, recording.id).executeUpdate())
                .chain(() -> persistAndFlush(recording))
                .chain(() -> getSession())
                // loaded again, not refreshed: what the database filled in is read into a new instance
                // (refreshing an entity Hibernate no longer manages is deprecated, HHH90000034)
                .chain(session -> {
                    session.detach(recording);
                    return session.find(Recording.class, recording.id);
                })
                .onFailure(RecordingRepository::isDuplicateUpload).transform(DuplicateUploadException::new);
    }

    /** Another recording already has this SDK upload id. */
    public static class DuplicateUploadException extends RuntimeException {
        DuplicateUploadException(Throwable cause) {
            super("duplicate sdk_upload_id", cause);
        }
    }

    private static boolean isDuplicateUpload(Throwable failure) {
        return failure instanceof ConstraintViolationException violation
                && violation.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE
                && ConstraintNames.is(violation.getConstraintName(), "recording_uploads_pkey");
    }

    /**
     * In the caller's transaction: locks the recording's row (appends wait for the transaction, so none is lost to
     * a replacement of the transcript) and stamps {@code updated_at}, then loads it; null when the project has no
     * such recording.
     */
    public Uni<Recording> lockForUpdate(long projectId, UUID id) {
        return getSession().chain(session -> session
                .createNativeQuery("UPDATE desktop_recordings SET updated_at = now() WHERE id = ?1 AND team_id = ?2")
                .setParameter(1, id).setParameter(2, projectId)
                .executeUpdate())
                .chain(updated -> updated == 0 ? Uni.createFrom().nullItem() : findById(id));
    }

    public Uni<Boolean> exists(long projectId, UUID id) {
        return Panache.withSession(() -> count("id = ?1 and projectId = ?2", id, projectId)).map(count -> count > 0);
    }

    /**
     * Deletes recordings past their project's {@code retention_days}, with their transcripts, {@code batch} at a
     * time so that no statement holds many locks for long; answers how many. Each batch in two statements, because
     * Citus cannot run a deletion whose subquery has a limit over several shards: a recording found by one and
     * deleted by hand before the second is simply not there.
     */
    public Uni<Long> deletePastRetention(int batch) {
        return pastRetentionInBatches(batch, 0);
    }

    private Uni<Long> pastRetentionInBatches(int batch, long deletedSoFar) {
        return pool.preparedQuery("""
                        SELECT r.id FROM projects p
                        JOIN desktop_recordings r ON r.team_id = p.id
                        WHERE p.retention_days IS NOT NULL
                          AND r.started_at < now() - make_interval(days => p.retention_days)
                        LIMIT $1""").execute(Tuple.of(batch)).chain(found -> {
            List<UUID> ids = new ArrayList<>(found.size());
            found.forEach(row -> ids.add(row.getUUID(0)));
            if (ids.isEmpty()) {
                return Uni.createFrom().item(deletedSoFar);
            }
            return pool.preparedQuery("DELETE FROM desktop_recordings WHERE id = ANY ($1)")
                    .execute(Tuple.of(ids.toArray(UUID[]::new)))
                    .chain(deleted -> ids.size() < batch ? Uni.createFrom().item(deletedSoFar + deleted.rowCount())
                            : pastRetentionInBatches(batch, deletedSoFar + deleted.rowCount()));
        });
    }

    /**
     * One statement: a PATCH from the desktop app racing it waits for the row lock, and the condition is checked
     * again on the newest row, so neither write is lost.
     */
    @Override
    public Uni<Move> moveForward(SqlClient transaction, UUID sdkUploadId, UUID recordingId, String status,
            UUID recallRecordingId, String errorMessage) {
        return transaction.preparedQuery("""
                        WITH target AS (
                            SELECT id FROM desktop_recordings
                            WHERE sdk_upload_id = $1 OR id = $2
                            ORDER BY (sdk_upload_id = $1) DESC NULLS LAST
                            LIMIT 1
                        ), updated AS (
                            UPDATE desktop_recordings r
                            SET status = $3::text,
                                recall_recording_id = coalesce($4, r.recall_recording_id),
                                error_message = CASE WHEN $3::text = 'error' THEN $5::text ELSE r.error_message END,
                                updated_at = now()
                            FROM target t
                            WHERE r.id = t.id
                              AND r.status <> 'error'
                              AND ($3::text = 'error'
                                   OR array_position(ARRAY['recording', 'uploading', 'processing', 'ready'],
                                                     r.status::text)
                                      < array_position(ARRAY['recording', 'uploading', 'processing', 'ready'],
                                                       $3::text))
                            RETURNING r.id
                        )
                        SELECT (SELECT count(*) FROM target) AS known, (SELECT count(*) FROM updated) AS applied""")
                .execute(Tuple.tuple().addUUID(sdkUploadId).addUUID(recordingId).addString(status)
                        .addUUID(recallRecordingId).addString(errorMessage))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Move(row.getLong("known") > 0, row.getLong("applied") > 0);
                });
    }

    /** Deletes the recording with its transcript; false when the project has no such recording. */
    public Uni<Boolean> delete(long projectId, UUID id) {
        return delete("id = ?1 and projectId = ?2", id, projectId).map(deleted -> deleted > 0);
    }

    /**
     * One recording; its {@link Read#recordings()} is empty when the project has no such recording. Without
     * {@code withText}, the transcript's parts are its segments alone. A short transcript comes in the same
     * statement as the recording (one snapshot, one round trip); a long one through the cursor of
     * {@link #readLong}. With text (the full answer), the closed chunks this replica holds in its
     * {@link TranscriptCache} are left out by the database whenever the recording's change number still is the one
     * they were read at: the statement then sends only the chunks after them.
     */
    public Uni<Read> read(long projectId, UUID id, boolean withText) {
        TranscriptCache.Entry cached = withText ? cache.find(id) : null;
        String withShortTranscript = "SELECT " + COLUMNS + ", r.change_seq,"
                + " r.segment_count / transcript_chunk_size() AS closed_chunks, k.from_chunk, "
                + TranscriptStore.partsColumn("$1", "$4",
                        "r.segment_count - k.from_chunk * transcript_chunk_size() <= $3", "k.from_chunk")
                + " AS parts FROM desktop_recordings r"
                + " CROSS JOIN LATERAL (SELECT CASE WHEN r.change_seq = $5 THEN $6 ELSE 0 END AS from_chunk) k"
                + " WHERE r.id = $1 AND r.team_id = $2";
        Tuple values = Tuple.of(id, projectId, TranscriptStore.READ_AT_ONCE, withText)
                .addInteger(cached == null ? -1 : cached.changeSeq()).addInteger(cached == null ? 0 : cached.chunks());
        return pool.preparedQuery(withShortTranscript).execute(values).chain(rows -> {
            if (rows.size() == 0) {
                cache.forget(id);
                return Uni.createFrom().item(new Read(0, List.of(), Multi.createFrom().empty()));
            }
            Row row = rows.iterator().next();
            String[] array = row.getArrayOfStrings("parts");
            if (array == null) {
                return readLong(projectId, id, withText);
            }
            Recording recording = toRecording(row);
            List<TranscriptPart> parts = TranscriptStore.parts(recording.id, array, withText);
            if (withText) {
                int from = row.getInteger("from_chunk");
                parts = cache.parts(id, from > 0 ? cached : null, from, row.getInteger("change_seq"),
                        row.getInteger("closed_chunks"), parts);
            }
            return Uni.createFrom().item(new Read(1, List.of(recording), Multi.createFrom().iterable(parts)));
        });
    }

    /** One recording with a long transcript: the recording in the transcript store's snapshot, then its cursor. */
    private Uni<Read> readLong(long projectId, UUID id, boolean withText) {
        String one = "SELECT " + COLUMNS + ", r.change_seq, r.segment_count / transcript_chunk_size() AS closed_chunks"
                + " FROM desktop_recordings r WHERE r.id = $1 AND r.team_id = $2";
        return transcripts.snapshot().chain(snapshot -> snapshot
                .read(connection -> connection.preparedQuery(one).execute(Tuple.of(id, projectId)))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        // deleted between the first look and this read
                        return snapshot.end().replaceWith(new Read(0, List.of(), Multi.createFrom().empty()));
                    }
                    Row row = rows.iterator().next();
                    Multi<TranscriptPart> parts = snapshot.parts(List.of(id), withText);
                    return Uni.createFrom().item(new Read(1, List.of(toRecording(row)), !withText ? parts
                            : cache.remembering(id, row.getInteger("change_seq"), row.getInteger("closed_chunks"),
                                    parts)));
                }));
    }

    /**
     * One page of the filter, newest {@code started_at} first, with the filter's total count. A page whose
     * transcripts are short together comes in one statement (one snapshot, one round trip: count, page and
     * transcripts); a longer one through the cursor of {@link #read(Query, String, Tuple, boolean)}.
     */
    public Uni<Read> read(long projectId, RecordingFilter filter, int limit, long offset) {
        Tuple values = Tuple.of(projectId);
        String where = where(filter, values);
        String count = "SELECT count(*) FROM desktop_recordings r WHERE " + where;
        Tuple countValues = copyOf(values);
        values.addInteger(limit).addLong(offset);
        String page = "SELECT " + COLUMNS + " FROM desktop_recordings r WHERE " + where
                + " ORDER BY r.started_at DESC, r.id DESC LIMIT $" + (values.size() - 1) + " OFFSET $" + values.size();
        Tuple shortValues = copyOf(values).addInteger(TranscriptStore.READ_AT_ONCE);
        String withShortTranscripts = "WITH page AS (" + page + "), size AS (SELECT coalesce(sum(p.segment_count), 0)"
                + " AS segments FROM page p) SELECT (" + count + ") AS total, p.*,"
                + " CASE WHEN p.segment_count = 0 OR s.segments <= $" + shortValues.size()
                + " THEN coalesce(t.parts, '{}') END AS parts FROM page p CROSS JOIN size s "
                + TranscriptStore.pagePartsJoin("SELECT q.id FROM page q",
                        "(SELECT z.segments FROM size z) <= $" + shortValues.size())
                + " ORDER BY p.started_at DESC, p.id DESC";
        Query counting = new Query(count, countValues);
        return pool.preparedQuery(withShortTranscripts).execute(shortValues).chain(rows -> {
            if (rows.size() == 0) {
                return pool.preparedQuery(count).execute(countValues).map(counted -> new Read(
                        counted.iterator().next().getLong(0), List.of(), Multi.createFrom().empty()));
            }
            List<Recording> recordings = new ArrayList<>(rows.size());
            List<TranscriptPart> parts = new ArrayList<>();
            long total = 0;
            for (Row row : rows) {
                String[] transcript = row.getArrayOfStrings("parts");
                if (transcript == null) {
                    return read(counting, page, values);
                }
                Recording recording = toRecording(row);
                recordings.add(recording);
                parts.addAll(TranscriptStore.parts(recording.id, transcript, true));
                total = row.getLong("total");
            }
            return Uni.createFrom().item(new Read(total, recordings, Multi.createFrom().iterable(parts)));
        });
    }

    /** A page of recordings without transcripts, with the filter's total count. */
    public record Summaries(long count, List<Recording> recordings) {
    }

    /**
     * One page of the filter without transcripts (what an assistant lists), in the list's order, with the filter's
     * total count: one statement, which answers one row of nulls but the count for a page past the end.
     */
    public Uni<Summaries> summaries(long projectId, RecordingFilter filter, int limit, long offset) {
        Tuple values = Tuple.of(projectId);
        String where = where(filter, values);
        values.addInteger(limit).addLong(offset);
        String sql = "SELECT (SELECT count(*) FROM desktop_recordings r WHERE " + where + ") AS total, p.*"
                + " FROM (SELECT 1) one LEFT JOIN (SELECT " + COLUMNS + " FROM desktop_recordings r WHERE " + where
                + " ORDER BY r.started_at DESC, r.id DESC LIMIT $" + (values.size() - 1) + " OFFSET $"
                + values.size() + ") p ON true ORDER BY p.started_at DESC, p.id DESC";
        return pool.preparedQuery(sql).execute(values).map(rows -> {
            List<Recording> recordings = new ArrayList<>(rows.size());
            long total = 0;
            for (Row row : rows) {
                total = row.getLong("total");
                if (row.getUUID("id") != null) {
                    recordings.add(toRecording(row));
                }
            }
            return new Summaries(total, recordings);
        });
    }

    /**
     * Recordings as rows of desktop_recordings were at some moment, from their JSON (to_jsonb of the row, as the
     * webhook outbox keeps them), in the order given: mapped as every read maps a row.
     */
    public Uni<List<Recording>> snapshots(SqlClient client, List<String> rows) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM unnest($1::text[]) WITH ORDINALITY AS s(row, n)"
                + " CROSS JOIN LATERAL jsonb_populate_record(NULL::desktop_recordings, s.row::jsonb) r ORDER BY s.n")
                .execute(Tuple.of(rows.toArray(String[]::new))).map(found -> {
                    List<Recording> recordings = new ArrayList<>(found.size());
                    found.forEach(row -> recordings.add(toRecording(row)));
                    return recordings;
                });
    }

    /** One recording without its transcript; null when the project has no such recording. */
    public Uni<Recording> summary(long projectId, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM desktop_recordings r WHERE r.id = $1 AND r.team_id = $2")
                .execute(Tuple.of(id, projectId))
                .map(rows -> rows.size() == 0 ? null : toRecording(rows.iterator().next()));
    }

    private record Query(String sql, Tuple values) {
    }

    private static Tuple copyOf(Tuple values) {
        Tuple copy = Tuple.tuple();
        for (int index = 0; index < values.size(); index++) {
            copy.addValue(values.getValue(index));
        }
        return copy;
    }

    /**
     * A page of long transcripts: the count and the page in the transcript store's snapshot (sent with its BEGIN,
     * at once), then the transcripts from its cursor. Short transcripts never come here: they are read in one
     * statement with their recordings.
     */
    private Uni<Read> read(Query count, String page, Tuple pageValues) {
        return transcripts.snapshot().chain(snapshot -> snapshot.read(connection -> {
            Uni<Long> total = connection.preparedQuery(count.sql()).execute(count.values())
                    .map(rows -> rows.iterator().next().getLong(0));
            Uni<RowSet<Row>> metadata = connection.preparedQuery(page).execute(pageValues);
            return Uni.combine().all().unis(total, metadata).asTuple();
        }).chain(read -> {
            List<Recording> recordings = new ArrayList<>(read.getItem2().size());
            read.getItem2().forEach(row -> recordings.add(toRecording(row)));
            if (recordings.isEmpty()) {
                // deleted between the first look and this read
                return snapshot.end().replaceWith(new Read(read.getItem1(), recordings, Multi.createFrom().empty()));
            }
            List<UUID> ids = recordings.stream().map(recording -> recording.id).toList();
            return Uni.createFrom().item(new Read(read.getItem1(), recordings, snapshot.parts(ids, true)));
        }));
    }

    private static String where(RecordingFilter filter, Tuple values) {
        SqlConditions where = new SqlConditions("r.team_id = $1", values)
                .equal("r.created_by_id", filter.userId())
                .equal("r.platform", filter.platform())
                .equal("r.status", filter.status());
        if (filter.search() != null) {
            where.and(TranscriptStore.contains("r", filter.search(), values));
        }
        return where.toString();
    }

    private static Recording toRecording(Row row) {
        return RecordingFields.fromRow(row);
    }
}
