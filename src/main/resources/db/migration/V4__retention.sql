-- Retention: a project may keep its recordings for a number of days (null: forever). The sweep finds the old ones
-- of each such project through desktop_recordings_team_order_idx (team_id, started_at DESC, id DESC).
ALTER TABLE projects ADD COLUMN retention_days INTEGER CHECK (retention_days BETWEEN 1 AND 36500);
