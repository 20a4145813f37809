-- An attempt's outcome is written only by the replica that still holds its claim: each claim gets a token, and the
-- outcome's UPDATE names it (a replica whose lease lapsed, and whose delivery another replica claimed again, writes
-- nothing).
ALTER TABLE webhook_deliveries ADD COLUMN claim_token UUID;

-- An outbox event that cannot be turned into deliveries (it failed on its own in three dispatches) is set aside with
-- the reason, so the events behind it flow on; an operator can look at it, fix the cause and clear set_aside_at.
ALTER TABLE webhook_events ADD COLUMN failures INTEGER NOT NULL DEFAULT 0, ADD COLUMN set_aside_at TIMESTAMPTZ,
    ADD COLUMN set_aside_reason TEXT;

-- The retention sweep runs on one replica at a time under this lease rather than a session-level advisory lock,
-- which PgBouncer in transaction mode could leave held on a server connection it hands to other clients. A sweep
-- that dies keeps it until held_until.
CREATE TABLE retention_lease (
    id         BOOLEAN     PRIMARY KEY DEFAULT true CHECK (id),
    holder     TEXT,
    held_until TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
);
INSERT INTO retention_lease DEFAULT VALUES;

-- The per-second claim of transcripts to announce reads the active ones only, through this index, not every
-- transcript ever enrolled: one announced and unchanged for a while turns quiet (the appends still never write
-- this table), and a slower sweep wakes a quiet one whose recording changed.
ALTER TABLE webhook_transcripts ADD COLUMN quiet BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX webhook_transcripts_active_idx ON webhook_transcripts (announced_at NULLS FIRST) WHERE NOT quiet;
