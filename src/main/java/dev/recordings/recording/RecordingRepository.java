package dev.recordings.recording;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.recordings.transcript.TranscriptRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL for desktop recordings, on the reactive pool directly: the JSON columns go in and out as JSON text, and the
 * transcript (read through {@link TranscriptRepository}'s expressions) is joined from its chunks as text, never
 * parsed into Java objects.
 */
@ApplicationScoped
public class RecordingRepository {

    /** Every column of the API representation, in {@link #toRecording(Row)} order, for SELECT and RETURNING. */
    public static final String COLUMNS = "r.id, r.team_id, r.created_by_id, r.sdk_upload_id, r.recall_recording_id, "
            + "r.platform, r.meeting_title, r.meeting_url, r.duration_seconds, r.status, r.notes, r.error_message, "
            + "r.video_url, r.video_size_bytes, r.participants::text AS participants, "
            + TranscriptRepository.text("r") + " AS transcript_text, "
            + TranscriptRepository.segmentsJson("r") + " AS transcript_segments, r.summary, "
            + "r.extracted_tasks::text AS extracted_tasks, r.tasks_generated_at, r.summary_generated_at, "
            + "r.started_at, r.completed_at, r.created_at, r.updated_at";

    private final Pool pool;

    public RecordingRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Recording> insert(UUID id, long projectId, long createdBy, UUID sdkUploadId,
            RecordingChanges changes) {
        List<String> columns = new ArrayList<>(List.of("id", "team_id", "created_by_id", "sdk_upload_id"));
        List<String> parameters = new ArrayList<>(List.of("$1", "$2", "$3", "$4"));
        Tuple values = Tuple.of(id, projectId, createdBy, sdkUploadId);
        for (Map.Entry<RecordingChanges.Column, Object> change : changes.values().entrySet()) {
            columns.add(change.getKey().sqlName());
            parameters.add(change.getKey().parameter(parameters.size() + 1));
            values.addValue(change.getValue());
        }
        String sql = "INSERT INTO desktop_recordings AS r (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", parameters) + ") RETURNING " + COLUMNS;
        return pool.preparedQuery(sql).execute(values)
                .onFailure(RecordingRepository::isDuplicateUpload).transform(DuplicateUploadException::new)
                .map(rows -> toRecording(rows.iterator().next()));
    }

    /** Another recording already has this SDK upload id. */
    public static class DuplicateUploadException extends RuntimeException {
        DuplicateUploadException(Throwable cause) {
            super("duplicate sdk_upload_id", cause);
        }
    }

    private static boolean isDuplicateUpload(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && "desktop_recordings_sdk_upload_id_key".equals(pg.getConstraint());
    }

    /** The recording, or null when the project has no such recording. */
    public Uni<Recording> find(long projectId, UUID id) {
        return find(pool, projectId, id);
    }

    public Uni<Recording> find(SqlClient client, long projectId, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM desktop_recordings r WHERE r.id = $1 AND r.team_id = $2")
                .execute(Tuple.of(id, projectId))
                .map(RecordingRepository::firstOrNull);
    }

    public Uni<Boolean> exists(long projectId, UUID id) {
        return pool.preparedQuery("SELECT 1 FROM desktop_recordings WHERE id = $1 AND team_id = $2")
                .execute(Tuple.of(id, projectId))
                .map(rows -> rows.size() > 0);
    }

    public Uni<List<Recording>> list(long projectId, RecordingFilter filter, int limit, long offset) {
        Tuple values = Tuple.of(projectId);
        String where = where(filter, values);
        values.addInteger(limit).addLong(offset);
        String sql = "SELECT " + COLUMNS + " FROM desktop_recordings r WHERE " + where
                + " ORDER BY r.started_at DESC, r.id DESC LIMIT $" + (values.size() - 1) + " OFFSET $" + values.size();
        return pool.preparedQuery(sql).execute(values).map(rows -> {
            List<Recording> page = new ArrayList<>(rows.size());
            rows.forEach(row -> page.add(toRecording(row)));
            return page;
        });
    }

    public Uni<Long> count(long projectId, RecordingFilter filter) {
        Tuple values = Tuple.of(projectId);
        String sql = "SELECT count(*) FROM desktop_recordings r WHERE " + where(filter, values);
        return pool.preparedQuery(sql).execute(values).map(rows -> rows.iterator().next().getLong(0));
    }

    /** Writes the given columns and {@code updated_at}; null when the project has no such recording. */
    public Uni<Recording> update(SqlClient client, long projectId, UUID id, RecordingChanges changes) {
        return write(client, projectId, id, changes, COLUMNS).map(RecordingRepository::firstOrNull);
    }

    /**
     * Writes the given columns and {@code updated_at}, locking the row until the transaction ends, without reading
     * the recording back (its transcript is about to be replaced); false when the project has no such recording.
     */
    public Uni<Boolean> updateAndLock(SqlClient client, long projectId, UUID id, RecordingChanges changes) {
        return write(client, projectId, id, changes, "r.id").map(rows -> rows.size() > 0);
    }

    private static Uni<RowSet<Row>> write(SqlClient client, long projectId, UUID id, RecordingChanges changes,
            String returning) {
        StringBuilder assignments = new StringBuilder("updated_at = now()");
        Tuple values = Tuple.of(id, projectId);
        for (Map.Entry<RecordingChanges.Column, Object> change : changes.values().entrySet()) {
            values.addValue(change.getValue());
            assignments.append(", ").append(change.getKey().sqlName()).append(" = ")
                    .append(change.getKey().parameter(values.size()));
        }
        String sql = "UPDATE desktop_recordings r SET " + assignments
                + " WHERE r.id = $1 AND r.team_id = $2 RETURNING " + returning;
        return client.preparedQuery(sql).execute(values);
    }

    public Uni<Boolean> delete(long projectId, UUID id) {
        return pool.preparedQuery("DELETE FROM desktop_recordings WHERE id = $1 AND team_id = $2")
                .execute(Tuple.of(id, projectId))
                .map(rows -> rows.rowCount() > 0);
    }

    private static String where(RecordingFilter filter, Tuple values) {
        StringBuilder where = new StringBuilder("r.team_id = $1");
        if (filter.userId() != null) {
            values.addLong(filter.userId());
            where.append(" AND r.created_by_id = $").append(values.size());
        }
        if (filter.platform() != null) {
            values.addString(filter.platform());
            where.append(" AND r.platform = $").append(values.size());
        }
        if (filter.status() != null) {
            values.addString(filter.status());
            where.append(" AND r.status = $").append(values.size());
        }
        if (filter.search() != null) {
            where.append(" AND ").append(TranscriptRepository.contains("r", filter.search(), values));
        }
        return where.toString();
    }

    private static Recording firstOrNull(RowSet<Row> rows) {
        return rows.size() == 0 ? null : toRecording(rows.iterator().next());
    }

    public static Recording toRecording(Row row) {
        return new Recording(
                row.getUUID("id"),
                row.getLong("team_id"),
                row.getLong("created_by_id"),
                row.getUUID("sdk_upload_id"),
                row.getUUID("recall_recording_id"),
                row.getString("platform"),
                row.getString("meeting_title"),
                row.getString("meeting_url"),
                row.getInteger("duration_seconds"),
                row.getString("status"),
                row.getString("notes"),
                row.getString("error_message"),
                row.getString("video_url"),
                row.getLong("video_size_bytes"),
                row.getString("participants"),
                row.getString("transcript_text"),
                row.getString("transcript_segments"),
                row.getString("summary"),
                row.getString("extracted_tasks"),
                row.getOffsetDateTime("tasks_generated_at"),
                row.getOffsetDateTime("summary_generated_at"),
                row.getOffsetDateTime("started_at"),
                row.getOffsetDateTime("completed_at"),
                row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }
}
