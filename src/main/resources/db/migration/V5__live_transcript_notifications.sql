-- Live transcripts: every change a stream shows is announced on the channel transcript_changes, in the transaction
-- that makes it, so a listener hears it once it has committed and in commit order, on every replica. The payload
-- names the recording and what changed (JSON, far below NOTIFY's 8,000-byte limit); streams read the rest.
-- The transcript functions (R__transcript_functions.sql) announce appends, replacements and renames; the status and
-- the deletion are announced here, by trigger, because many paths change them: PATCH, PUT, the Recall.ai webhook,
-- DELETE, the retention sweep, a project's deletion.
CREATE FUNCTION announce_recording_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('transcript_changes', json_build_object('recording', OLD.id, 'kind', 'deleted')::text);
        RETURN OLD;
    END IF;
    PERFORM pg_notify('transcript_changes',
                      json_build_object('recording', NEW.id, 'kind', 'status', 'status', NEW.status)::text);
    RETURN NEW;
END
$$;

CREATE TRIGGER desktop_recordings_status_announced
    AFTER UPDATE OF status ON desktop_recordings
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION announce_recording_change();

CREATE TRIGGER desktop_recordings_deletion_announced
    AFTER DELETE ON desktop_recordings
    FOR EACH ROW
    EXECUTE FUNCTION announce_recording_change();

-- The recordings someone watches live, by instance of the service: an append announces itself only when its
-- recording has a row here. NOTIFY serializes the commits of every transaction that notifies (PostgreSQL holds a
-- database-wide lock from the notification until its commit record is flushed), and announcing every append cut
-- the meetings one pod sustains from 1,600 to 750 (bench/README.md, streams); appends nobody watches pay one index
-- probe instead. Unlogged: it is rebuilt by the streams themselves, so it needs no WAL, and a crash empties it as it
-- ends every stream. A row whose instance stopped refreshing it (one that crashed) is removed after ten minutes.
CREATE UNLOGGED TABLE transcript_watchers (
    recording_id UUID        NOT NULL,
    instance     UUID        NOT NULL,
    -- open streams of the recording on the instance; 0 rows are removed by the sweep
    streams      INTEGER     NOT NULL CHECK (streams >= 0),
    seen_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (recording_id, instance)
);
CREATE INDEX transcript_watchers_seen_idx ON transcript_watchers (seen_at);
