-- One schema for one PostgreSQL and for a Citus cluster (docs/architecture.md, "Past one database"). On plain
-- PostgreSQL this migration only makes the keys Citus needs; on a Citus coordinator it also distributes the tables:
--   * by recording (the distribution column is the recording's id, colocated): desktop_recordings and every table
--     that holds a part of one recording (transcript_chunks, transcript_segment_keys, transcript_change_log,
--     webhook_events, webhook_transcripts). One meeting lives on one worker, and a project's meetings spread over
--     all of them;
--   * by their own id, each on its own: recording_uploads (by sdk_upload_id, the key of its uniqueness) and
--     webhook_deliveries (an endpoint's, not a recording's; a ping has no recording);
--   * reference tables (a copy on every node, so workers join them locally): projects, users, memberships, keys,
--     the auth version, webhook endpoints, Recall.ai's delivery ids and the retention lease.

-- Citus refuses a unique index that does not contain the distribution column, so the uniqueness of an SDK upload id
-- moves into a table of its own, keyed by it. desktop_recordings keeps the column (the API shows it) with a plain
-- index, for the Recall.ai webhook that finds a recording by it.
CREATE TABLE recording_uploads (
    sdk_upload_id UUID PRIMARY KEY,
    recording_id  UUID NOT NULL
);
INSERT INTO recording_uploads (sdk_upload_id, recording_id) SELECT sdk_upload_id, id FROM desktop_recordings;
ALTER TABLE desktop_recordings DROP CONSTRAINT desktop_recordings_sdk_upload_id_key;
CREATE INDEX desktop_recordings_sdk_upload_idx ON desktop_recordings (sdk_upload_id);

-- Every key of a distributed table contains its distribution column.
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_pkey;
ALTER TABLE webhook_events ADD PRIMARY KEY (recording_id, id);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    -- The triggers of desktop_recordings write only tables colocated with it (the change log, the outbox), so they
    -- are right on the worker that holds the shard, where Citus runs them.
    SET LOCAL citus.enable_unsafe_triggers = on;
    -- Within one transaction with foreign keys to reference tables, Citus needs its DDL run over one connection.
    SET LOCAL citus.multi_shard_modify_mode = 'sequential';

    -- Citus runs a reference table's triggers on the workers' copies only, where they may not write another
    -- reference table: the provisioning API moves auth_version itself, in the transaction of each change
    -- (docs/operations.md says what to run after changing keys or memberships by hand).
    DROP TRIGGER personal_api_keys_auth_changed ON personal_api_keys;
    DROP TRIGGER project_members_auth_changed ON project_members;

    PERFORM create_reference_table('projects');
    PERFORM create_reference_table('users');
    PERFORM create_reference_table('project_members');
    PERFORM create_reference_table('personal_api_keys');
    PERFORM create_reference_table('auth_version');
    PERFORM create_reference_table('webhook_endpoints');
    PERFORM create_reference_table('recall_webhook_deliveries');
    PERFORM create_reference_table('retention_lease');

    -- A local table may not refer to a distributed one, so the transcript's foreign keys wait for its tables.
    ALTER TABLE transcript_chunks DROP CONSTRAINT transcript_chunks_recording_id_fkey;
    ALTER TABLE transcript_segment_keys DROP CONSTRAINT transcript_segment_keys_recording_id_fkey;
    -- Its triggers write tables distributed after it: off while its rows are copied into its shards.
    ALTER TABLE desktop_recordings DISABLE TRIGGER USER;
    PERFORM create_distributed_table('desktop_recordings', 'id', colocate_with => 'none');
    PERFORM create_distributed_table('transcript_chunks', 'recording_id', colocate_with => 'desktop_recordings');
    PERFORM create_distributed_table('transcript_segment_keys', 'recording_id', colocate_with => 'desktop_recordings');
    PERFORM create_distributed_table('transcript_change_log', 'recording_id', colocate_with => 'desktop_recordings');
    PERFORM create_distributed_table('webhook_events', 'recording_id', colocate_with => 'desktop_recordings');
    PERFORM create_distributed_table('webhook_transcripts', 'recording_id', colocate_with => 'desktop_recordings');
    ALTER TABLE desktop_recordings ENABLE TRIGGER USER;
    ALTER TABLE transcript_chunks ADD CONSTRAINT transcript_chunks_recording_id_fkey
        FOREIGN KEY (recording_id) REFERENCES desktop_recordings (id) ON DELETE CASCADE;
    ALTER TABLE transcript_segment_keys ADD CONSTRAINT transcript_segment_keys_recording_id_fkey
        FOREIGN KEY (recording_id) REFERENCES desktop_recordings (id) ON DELETE CASCADE;

    PERFORM create_distributed_table('recording_uploads', 'sdk_upload_id', colocate_with => 'none');
    PERFORM create_distributed_table('webhook_deliveries', 'id', colocate_with => 'none');
END
$$;

-- Citus moves a shard to another worker by logical replication, which needs each table's rows identified: the other
-- tables have primary keys; a key index more here would cost every append, so a move compares whole rows instead.
ALTER TABLE transcript_segment_keys REPLICA IDENTITY FULL;
