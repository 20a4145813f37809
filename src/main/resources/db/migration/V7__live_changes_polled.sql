-- Live transcripts without NOTIFY. NOTIFY takes a database-wide lock from the notification until the commit record
-- is flushed, so every announced append serialized its commit with every other (a pod sustained 750 meetings
-- watched against 1,400 unwatched). Instead each replica polls the recordings its streams watch, a few times a
-- second, with one indexed statement (TranscriptStore.changes): new segments show in segment_count, and every other
-- change a stream shows is a numbered row of transcript_change_log, written in the transaction that makes it. A plain
-- append writes nothing more than it did without streams.
DROP TRIGGER desktop_recordings_status_announced ON desktop_recordings;
DROP TRIGGER desktop_recordings_deletion_announced ON desktop_recordings;
DROP FUNCTION announce_recording_change();
-- defined by R__transcript_functions.sql, which runs after this on a new database
DROP FUNCTION IF EXISTS announce_transcript_append(uuid, integer, integer[]);
DROP FUNCTION IF EXISTS transcript_watched(uuid);
DROP TABLE transcript_watchers;

-- The number of the recording's last logged change; changed under the recording's row lock, so a recording's
-- changes are numbered in commit order and a poller that saw n needs exactly those after n.
ALTER TABLE desktop_recordings ADD COLUMN change_seq integer NOT NULL DEFAULT 0;

-- What a live stream cannot read back from the recording itself: the positions a batch replaced in place, a
-- replaced transcript, a speaker's rename, a new status. The change is the JSON a stream's TranscriptChange reads.
-- Rows are kept ten minutes (LiveStreams prunes them); a stream that finds a number missing sends the whole
-- transcript again. No foreign key: a deleted recording shows as a missing row, and its log rows age out.
CREATE TABLE transcript_change_log (
    recording_id UUID        NOT NULL,
    seq          INTEGER     NOT NULL,
    change       JSONB       NOT NULL,
    logged_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (recording_id, seq)
);
CREATE INDEX transcript_change_log_logged_at_idx ON transcript_change_log (logged_at);

-- The status is changed by many paths (PATCH, PUT, the Recall.ai webhook), so a trigger logs it. BEFORE, so that
-- the number is taken from the row as this update finds it, under its lock.
CREATE FUNCTION log_status_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := OLD.change_seq + 1;
    INSERT INTO transcript_change_log (recording_id, seq, change)
    VALUES (NEW.id, NEW.change_seq, jsonb_build_object('kind', 'status', 'status', NEW.status));
    RETURN NEW;
END
$$;

CREATE TRIGGER desktop_recordings_status_logged
    BEFORE UPDATE OF status ON desktop_recordings
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION log_status_change();
