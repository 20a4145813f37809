-- Outbound webhooks (webhook package). Endpoints belong to a project but hold no foreign key to it: a project's
-- deletion announces recording.deleted for each of its recordings, so its endpoints must outlive it until those
-- are delivered (the retention sweep then removes them).
CREATE TABLE webhook_endpoints (
    id                    UUID        PRIMARY KEY,
    team_id               BIGINT      NOT NULL,
    url                   TEXT        NOT NULL,
    description           TEXT        NOT NULL DEFAULT '',
    events                TEXT[]      NOT NULL,
    -- whether the events take transcript.updated (Java decides; the append only asks this)
    transcripts           BOOLEAN     NOT NULL,
    enabled               BOOLEAN     NOT NULL DEFAULT true,
    disabled_reason       TEXT,
    secret                TEXT        NOT NULL,
    previous_secret       TEXT,
    previous_secret_until TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_team_idx ON webhook_endpoints (team_id, created_at);

-- The outbox: every change to a recording of a project that has an enabled endpoint, written by trigger in the
-- transaction of the change (so whoever makes it: the API, the Recall.ai webhook, the retention sweep, a project's
-- deletion), with the row before and after. A dispatcher on any replica turns each into deliveries and removes it.
-- The appends do not come here (they change none of the columns the update trigger names): transcripts are
-- announced through webhook_transcripts.
CREATE TABLE webhook_events (
    id           BIGSERIAL   PRIMARY KEY,
    team_id      BIGINT      NOT NULL,
    recording_id UUID        NOT NULL,
    operation    TEXT        NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
    old_row      JSONB,
    new_row      JSONB,
    occurred_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION webhook_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed desktop_recordings := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
    IF EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.team_id = changed.team_id AND e.enabled) THEN
        INSERT INTO webhook_events (team_id, recording_id, operation, old_row, new_row)
        VALUES (changed.team_id, changed.id, TG_OP,
                CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
                CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER desktop_recordings_webhook_created AFTER INSERT ON desktop_recordings
    FOR EACH ROW EXECUTE FUNCTION webhook_record_change();
CREATE TRIGGER desktop_recordings_webhook_deleted AFTER DELETE ON desktop_recordings
    FOR EACH ROW EXECUTE FUNCTION webhook_record_change();
CREATE TRIGGER desktop_recordings_webhook_updated
    AFTER UPDATE OF created_by_id, sdk_upload_id, recall_recording_id, platform, meeting_title, meeting_url,
        duration_seconds, status, notes, error_message, video_url, video_size_bytes, participants, summary,
        extracted_tasks, tasks_generated_at, summary_generated_at, started_at, completed_at
    ON desktop_recordings
    FOR EACH ROW EXECUTE FUNCTION webhook_record_change();

-- transcript.updated is coalesced: the first change to a recording's transcript after an enabled endpoint of its
-- project takes transcripts adds its row here (and only then: later appends find it and write nothing, so they never
-- wait on a dispatcher that holds the row). A dispatcher announces, at most once per interval, what changed since
-- the last announcement: the recording's segments from announced_count on, and its change log after announced_seq.
CREATE TABLE webhook_transcripts (
    recording_id     UUID        PRIMARY KEY,
    team_id          BIGINT      NOT NULL,
    announced_count  INTEGER     NOT NULL DEFAULT 0,
    announced_seq    INTEGER     NOT NULL DEFAULT 0,
    announced_at     TIMESTAMPTZ
);

CREATE TABLE webhook_deliveries (
    id               UUID        PRIMARY KEY,
    endpoint_id      UUID        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type       TEXT        NOT NULL,
    recording_id     UUID,
    body             TEXT        NOT NULL,
    status           TEXT        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'succeeded', 'failed', 'abandoned')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    last_status_code INTEGER,
    last_error       TEXT,
    next_attempt_at  TIMESTAMPTZ DEFAULT now(),
    -- an attempt in progress on some replica; a claim that outlives it (the replica died) is taken again
    claimed_until    TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at     TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending', 'failed');
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_created_idx ON webhook_deliveries (created_at);
