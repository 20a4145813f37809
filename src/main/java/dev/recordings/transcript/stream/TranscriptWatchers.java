package dev.recordings.transcript.stream;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The table {@code transcript_watchers}: which recordings have live streams, on which instance, so that only their
 * appends are announced (see {@code V5__live_transcript_notifications.sql} and {@code transcript_watched}).
 */
@ApplicationScoped
public class TranscriptWatchers {

    /** A row not refreshed for this long belongs to an instance that is gone. */
    static final String FORGOTTEN_AFTER = "10 minutes";

    private final Pool pool;

    public TranscriptWatchers(Pool pool) {
        this.pool = pool;
    }

    /**
     * Counts one more stream of a recording of the project on this instance; false when the project has no such
     * recording. Holds a KEY SHARE lock on the recording's row while it does: an append in progress (which holds
     * FOR UPDATE) commits before, and one that comes after sees the row and announces itself.
     */
    public Uni<Boolean> watch(long projectId, UUID recording, UUID instance) {
        return pool.preparedQuery("""
                        WITH watched AS (SELECT r.id FROM desktop_recordings r WHERE r.id = $1 AND r.team_id = $2
                                         FOR KEY SHARE)
                        INSERT INTO transcript_watchers (recording_id, instance, streams)
                        SELECT w.id, $3, 1 FROM watched w
                        ON CONFLICT (recording_id, instance)
                        DO UPDATE SET streams = transcript_watchers.streams + 1, seen_at = now()
                        RETURNING 1""")
                .execute(Tuple.of(recording, projectId, instance)).map(rows -> rows.size() > 0);
    }

    /** Counts one stream fewer. */
    public Uni<Void> unwatch(UUID recording, UUID instance) {
        return pool.preparedQuery("UPDATE transcript_watchers SET streams = streams - 1, seen_at = now()"
                + " WHERE recording_id = $1 AND instance = $2 AND streams > 0")
                .execute(Tuple.of(recording, instance)).replaceWithVoid();
    }

    /**
     * Marks this instance's rows as alive, and removes the rows nobody watches any more and those of instances that
     * stopped refreshing theirs.
     */
    public Uni<Void> refresh(UUID instance) {
        return pool.preparedQuery("UPDATE transcript_watchers SET seen_at = now() WHERE instance = $1 AND streams > 0")
                .execute(Tuple.of(instance))
                .chain(() -> pool.query("DELETE FROM transcript_watchers WHERE (streams = 0 AND seen_at < now() - "
                        + "interval '1 minute') OR seen_at < now() - interval '" + FORGOTTEN_AFTER + "'").execute())
                .replaceWithVoid();
    }
}
