-- The webhook package's SQL functions: the transcript functions (R__transcript_functions.sql) enrol transcripts for
-- their transcript.updated announcement only through these, so the webhook tables' SQL stays the webhook package's
-- (with WebhookStore and V8__outbound_webhooks.sql). Repeatable, like code.

-- Whether an enabled endpoint of the project takes transcript.updated: an index probe of a small table. Called as a
-- statement of its own: on Citus a reference table inside the append's statement sends its intermediate results to
-- every node.
CREATE OR REPLACE FUNCTION webhook_takes_transcripts(project bigint) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.team_id = project AND e.enabled AND e.transcripts);
END
$$;

-- Enrols a recording's transcript for announcements (see V8__outbound_webhooks.sql); once enrolled, an index probe
-- that finds the row and writes nothing. The caller has checked webhook_takes_transcripts.
CREATE OR REPLACE FUNCTION webhook_enrol_transcript(recording uuid, project bigint) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    INSERT INTO webhook_transcripts (recording_id, team_id) VALUES (recording, project)
    ON CONFLICT (recording_id) DO NOTHING;
END
$$;

-- Both, for a change made outside an append (a replacement, a rename), which knows only the recording.
CREATE OR REPLACE FUNCTION webhook_note_transcript(recording uuid) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    project bigint;
BEGIN
    SELECT r.team_id INTO project FROM desktop_recordings r WHERE r.id = recording;
    IF FOUND AND webhook_takes_transcripts(project) THEN
        PERFORM webhook_enrol_transcript(recording, project);
    END IF;
END
$$;
