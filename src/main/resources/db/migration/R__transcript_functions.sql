-- The transcript's SQL functions. Repeatable: Flyway re-creates them whenever this file changes, so they change
-- like code. Everything that writes transcript_chunks and transcript_segment_keys is here.

-- A segment's timestamp for the retry rule: a number, compared by value (jsonb's own equality), or null.
CREATE OR REPLACE FUNCTION transcript_segment_stamp(segment jsonb) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(segment -> 'timestamp') = 'number' THEN (segment ->> 'timestamp')::numeric END
$$;

-- STABLE as convert_to is: a function declared more constant than its body is not inlined, and a call per segment
-- instead of an expression cost more than the rest of the merge (seen with auto_explain).
CREATE OR REPLACE FUNCTION transcript_text_hash(segment jsonb) RETURNS bytea
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sha256(convert_to(segment ->> 'text', 'UTF8'))
$$;

-- Logs a change for live streams (see V7__live_changes_polled.sql) under the next number of the recording, whose
-- row the caller has locked. PL/pgSQL, as every function here that reads or writes a table: Citus cannot plan the
-- parameters of an SQL function's statements over distributed tables.
CREATE OR REPLACE FUNCTION log_transcript_change(recording uuid, change jsonb) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    logged integer;
BEGIN
    -- two statements, each naming the recording: Citus runs them on its worker, inside a delegated call too
    UPDATE desktop_recordings r SET change_seq = r.change_seq + 1 WHERE r.id = recording
    RETURNING r.change_seq INTO logged;
    IF FOUND THEN
        INSERT INTO transcript_change_log (recording_id, seq, change) VALUES (recording, logged, change);
    END IF;
END
$$;

-- Appends a batch (validated segments, as the API stores them) to a recording of a project, with the contract's
-- merge rules judged against the whole stored transcript and the batch itself:
--   1. a segment with an "id" replaces every stored segment with that id in place (the last version in the batch
--      wins); an id new to the transcript is appended once, later versions in the batch replace it;
--   2. a segment without "id" whose number "timestamp" and "text" equal a stored segment's, or an earlier batch
--      segment's, is a retry and is dropped;
--   3. everything else is appended.
-- Answers one row (nothing when the project has no such recording) with the counts, the recording's change number
-- as the batch left it before any change it logs itself, and, with with_segments, the appended segments as stored
-- (JSON texts joined by commas, in position order; what a live stream on the replica that took the append sends
-- without reading them back).
--
-- The first statement locks the recording's row, and only then do the others do the work. In a VOLATILE function
-- each statement takes a new snapshot, so the work sees everything committed before the lock was granted (a single
-- statement would read with the snapshot it took before waiting, and miss the batch it queued behind), and nobody
-- else writes this transcript until we commit. Still one round trip and one statement for the client, no lock held
-- across the network. AppendConcurrencyTest fails without the lock.
--
-- Always the generic plan: every lookup below is written to stay one index probe in it. Left to choose, a session
-- often settled on custom plans (the batch and the stored count as constants look cheaper to the planner) and then
-- planned this statement again on every call: 1.3-1.8 ms of database CPU per lean append against 0.7-0.9 ms with
-- the generic plan (bench/append-cpu.sh, bench/README.md "The append's plan"). On Citus, which routes each statement
-- by its values, afterMigrate.sql takes this setting off again.
--
-- The form of the version before, without with_segments and the two last columns, is dropped in the same
-- transaction; its callers (pods not yet replaced in a rolling update) name their columns and reach this one through
-- the default.
DROP FUNCTION IF EXISTS append_transcript_segments(uuid, bigint, jsonb);
CREATE OR REPLACE FUNCTION append_transcript_segments(recording uuid, project bigint, batch jsonb,
                                                      with_segments boolean DEFAULT false)
RETURNS TABLE (id uuid, segment_count integer, appended_count integer, replaced_count integer,
               dropped_count integer, updated_at timestamptz, change_seq integer, appended_segments text)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    stored integer;
    replaced_positions integer[];
    subscribed boolean;
    appended jsonb;
    added integer;
    room integer;
    chunk_segments jsonb;
    chunk_text text;
    new_chunk record;
    new_key record;
    chunk_updates jsonb;
    chunk_inserts jsonb;
    key_inserts jsonb;
    key_updates jsonb;
    replaced_total integer;
    dropped_total integer;
    appended_json text;
    changed boolean;
BEGIN
    SELECT r.segment_count INTO stored
    FROM desktop_recordings r WHERE r.id = recording AND r.team_id = project
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    -- whether the transcript is to be enrolled for webhook announcements (R__webhook_functions.sql)
    subscribed := webhook_takes_transcripts(project);

    -- Most batches carry no ids: for them rule 1 cannot apply, and a statement without the replacement steps makes
    -- the append about a quarter cheaper (pgbench, 16 clients, batches of 10: 1,670 appends/s against 1,350).
    -- The retry rule (2 above) is written twice, here and in the full statement below, and AppendSegmentsTest
    -- checks that both judge alike: one shared judgement (an inlined SQL function) cost 6-17 % more database CPU
    -- per append (bench/README.md, "The append's SQL").
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(batch) AS e(segment) WHERE e.segment ? 'id') THEN
        -- Separate statements, each reading or writing this recording's rows only, with what it needs passed in
        -- variables: Citus runs each as one plain statement on the recording's worker. As one statement whose inserts
        -- were fed by queries, Citus split it into steps whose results it sent to every node, and committed the
        -- append on all of them (bench/README.md, "Citus").
        SELECT coalesce(jsonb_agg(b.segment ORDER BY b.position), '[]'::jsonb) INTO appended
        FROM (SELECT x.position, transcript_segment_stamp(x.segment) AS stamp, x.segment,
                     row_number() OVER (PARTITION BY x.segment -> 'timestamp', x.segment -> 'text'
                                        ORDER BY x.position) AS same_rank
              FROM jsonb_array_elements(batch) WITH ORDINALITY AS x(segment, position)) b
        WHERE b.stamp IS NULL
           OR NOT (b.same_rank > 1
                   OR coalesce((SELECT true FROM transcript_segment_keys k
                                WHERE k.recording_id = recording AND k.stamp = b.stamp
                                  AND k.text_hash = transcript_text_hash(b.segment) LIMIT 1), false));
        added := jsonb_array_length(appended);
        IF added > 0 THEN
            -- the open chunk (when the last one is not full) takes what fits, then new chunks the rest
            room := (transcript_chunk_size() - stored % transcript_chunk_size()) % transcript_chunk_size();
            IF room > 0 THEN
                SELECT jsonb_agg(e.segment ORDER BY e.n), string_agg(e.segment ->> 'text', ' ' ORDER BY e.n)
                INTO chunk_segments, chunk_text
                FROM jsonb_array_elements(appended) WITH ORDINALITY AS e(segment, n) WHERE e.n <= room;
                UPDATE transcript_chunks c SET segments = c.segments || chunk_segments,
                                               text = c.text || ' ' || chunk_text
                WHERE c.recording_id = recording AND c.chunk_no = stored / transcript_chunk_size();
            END IF;
            FOR new_chunk IN
                SELECT (stored + e.n::integer - 1) / transcript_chunk_size() AS chunk_no,
                       jsonb_agg(e.segment ORDER BY e.n) AS segments,
                       string_agg(e.segment ->> 'text', ' ' ORDER BY e.n) AS text
                FROM jsonb_array_elements(appended) WITH ORDINALITY AS e(segment, n) WHERE e.n > room
                GROUP BY 1 ORDER BY 1
            LOOP
                -- the end of the texts before it, as they are now (the open chunk's update and earlier new chunks)
                SELECT right(string_agg(c.text, ' ' ORDER BY c.chunk_no), transcript_overlap_length()) INTO chunk_text
                FROM transcript_chunks c
                WHERE c.recording_id = recording
                  AND c.chunk_no BETWEEN greatest(0, new_chunk.chunk_no - transcript_overlap_chunks())
                                     AND new_chunk.chunk_no - 1;
                INSERT INTO transcript_chunks (recording_id, chunk_no, segments, text, overlap)
                VALUES (recording, new_chunk.chunk_no, new_chunk.segments, new_chunk.text, chunk_text);
            END LOOP;
            FOR new_key IN
                SELECT stored + e.n::integer - 1 AS position, transcript_segment_stamp(e.segment) AS stamp,
                       transcript_text_hash(e.segment) AS text_hash
                FROM jsonb_array_elements(appended) WITH ORDINALITY AS e(segment, n)
                WHERE jsonb_typeof(e.segment -> 'timestamp') = 'number'
            LOOP
                INSERT INTO transcript_segment_keys (recording_id, position, segment_id, stamp, text_hash)
                VALUES (recording, new_key.position, NULL, new_key.stamp, new_key.text_hash);
            END LOOP;
            IF subscribed THEN
                PERFORM webhook_enrol_transcript(recording, project);
            END IF;
        END IF;
        RETURN QUERY
        UPDATE desktop_recordings r SET segment_count = stored + added, updated_at = now()
        WHERE r.id = recording
        RETURNING r.id, r.segment_count, added, 0, jsonb_array_length(batch) - added, r.updated_at, r.change_seq,
                  CASE WHEN with_segments THEN (SELECT string_agg(e.segment::text, ',' ORDER BY e.n)
                                                FROM jsonb_array_elements(appended) WITH ORDINALITY AS e(segment, n))
                  END;
        RETURN;
    END IF;

    WITH batch_segments AS (
        SELECT x.position, x.segment ->> 'id' AS segment_id, transcript_segment_stamp(x.segment) AS stamp, x.segment,
               CASE WHEN x.segment ? 'id'
                    THEN last_value(x.segment) OVER (PARTITION BY x.segment ->> 'id' ORDER BY x.position
                             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
                    ELSE x.segment END AS final,
               row_number() OVER (PARTITION BY x.segment ->> 'id' ORDER BY x.position) AS id_rank,
               -- jsonb compares numbers by value, so 1 and 1.0 are the same timestamp
               row_number() OVER (PARTITION BY x.segment -> 'timestamp', x.segment -> 'text'
                                  ORDER BY x.position) AS same_rank
        FROM jsonb_array_elements(batch) WITH ORDINALITY AS x(segment, position)
    ), judged AS (
        SELECT b.position, b.segment_id, b.final,
            CASE
                WHEN b.segment_id IS NOT NULL THEN
                    CASE WHEN (SELECT true FROM transcript_segment_keys k
                               WHERE k.recording_id = recording AND k.segment_id = b.segment_id LIMIT 1)
                             THEN 'replace_stored'
                         WHEN b.id_rank > 1 THEN 'replace_batch'
                         ELSE 'append' END
                WHEN b.stamp IS NOT NULL
                     AND (b.same_rank > 1
                          OR (SELECT true FROM transcript_segment_keys k
                              WHERE k.recording_id = recording AND k.stamp = b.stamp
                                AND k.text_hash = transcript_text_hash(b.segment) LIMIT 1))
                    THEN 'drop'
                ELSE 'append'
            END AS action
        FROM batch_segments b
    ), appended AS (
        SELECT j.final AS segment, stored + (row_number() OVER (ORDER BY j.position))::integer - 1 AS position
        FROM judged j WHERE j.action = 'append'
    ), replaced AS (
        -- the keys here rather than in the UPDATE below: Citus refuses a STABLE function of a column in an UPDATE
        SELECT DISTINCT j.segment_id, j.final AS segment, transcript_segment_stamp(j.final) AS stamp,
               transcript_text_hash(j.final) AS text_hash
        FROM judged j WHERE j.action = 'replace_stored'
    ), writes AS (
        SELECT a.position, a.segment, true AS is_new FROM appended a
        UNION ALL
        SELECT k.position, r.segment, false
        FROM replaced r
        JOIN transcript_segment_keys k ON k.recording_id = recording AND k.segment_id = r.segment_id
    ), chunk_writes AS (
        -- a chunk whose first position is at or past the stored count is new
        SELECT w.position / transcript_chunk_size() AS chunk_no,
               (w.position / transcript_chunk_size()) * transcript_chunk_size() < stored AS existing,
               coalesce(jsonb_agg(w.segment ORDER BY w.position) FILTER (WHERE w.is_new), '[]'::jsonb) AS appended,
               string_agg(w.segment ->> 'text', ' ' ORDER BY w.position) FILTER (WHERE w.is_new) AS appended_text,
               jsonb_object_agg(w.position % transcript_chunk_size(), w.segment) FILTER (WHERE NOT w.is_new)
                   AS replacements
        FROM writes w
        GROUP BY w.position / transcript_chunk_size()
    ),
    -- Every lookup of a stored chunk or key names its whole key, in a scalar subquery, a LATERAL probe or an
    -- ANY(array), so that it stays one index probe in the generic plan (forced above).
    -- Written as joins or EXISTS, the generic plan read all of a recording's keys and chunks (a hashed subplan,
    -- a hash join) and each append cost more as the transcript grew: 3 ms at 500 segments, 11 ms at 20,000.
    rewritten AS (
        -- existing chunks that change: replacements applied in place, then the new segments concatenated
        SELECT c.chunk_no,
               CASE WHEN cw.replacements IS NULL THEN c.segments ELSE rw.segments END || cw.appended AS segments,
               concat_ws(' ', CASE WHEN cw.replacements IS NULL THEN c.text ELSE rw.text END, cw.appended_text)
                   AS text,
               cw.replacements IS NOT NULL AS text_replaced
        FROM chunk_writes cw
        CROSS JOIN LATERAL (SELECT c.chunk_no, c.segments, c.text FROM transcript_chunks c
                            WHERE c.recording_id = recording AND c.chunk_no = cw.chunk_no) c
        LEFT JOIN LATERAL (
            SELECT jsonb_agg(coalesce(cw.replacements -> (e.slot - 1)::text, e.segment) ORDER BY e.slot) AS segments,
                   string_agg(coalesce(cw.replacements -> (e.slot - 1)::text, e.segment) ->> 'text', ' '
                              ORDER BY e.slot) AS text
            FROM jsonb_array_elements(c.segments) WITH ORDINALITY AS e(segment, slot)
            WHERE cw.replacements IS NOT NULL
        ) rw ON true
    ), new_chunks AS (
        SELECT cw.chunk_no, cw.appended AS segments, cw.appended_text AS text
        FROM chunk_writes cw
        WHERE NOT cw.existing
    ), chunk_texts AS (
        SELECT rw.chunk_no, rw.text FROM rewritten rw
        UNION ALL
        SELECT n.chunk_no, n.text FROM new_chunks n
    ), overlap_targets AS (
        -- every new chunk, and the chunks after a chunk whose text changed in place, as far as an overlap reaches
        SELECT n.chunk_no FROM new_chunks n
        UNION
        SELECT rw.chunk_no + d.distance
        FROM rewritten rw, generate_series(1, transcript_overlap_chunks()) AS d(distance)
        WHERE rw.text_replaced
    ), chunk_overlaps AS (
        -- the end of the texts of the chunks before, as they are after this append
        SELECT t.chunk_no,
               right(string_agg(coalesce(ct.text, (SELECT c.text FROM transcript_chunks c
                                                   WHERE c.recording_id = recording AND c.chunk_no = b.before_no)),
                                ' ' ORDER BY b.before_no),
                     transcript_overlap_length()) AS overlap
        FROM overlap_targets t
        CROSS JOIN LATERAL generate_series(greatest(0, t.chunk_no - transcript_overlap_chunks()), t.chunk_no - 1)
            AS b(before_no)
        LEFT JOIN chunk_texts ct ON ct.chunk_no = b.before_no
        GROUP BY t.chunk_no
    )
    -- What to write, read in this one statement (one snapshot, after the lock); the writes follow, one statement per
    -- row, each naming the recording: Citus runs them on its worker, where writes fed by this statement's own
    -- queries were split into steps sent to every node (as for the lean append above).
    SELECT
        (SELECT jsonb_agg(jsonb_build_object('chunk_no', t.chunk_no, 'segments', rw.segments, 'text', rw.text,
                                             'overlap', o.overlap))
         FROM (SELECT rw.chunk_no FROM rewritten rw UNION SELECT t.chunk_no FROM overlap_targets t) t
         LEFT JOIN rewritten rw ON rw.chunk_no = t.chunk_no
         LEFT JOIN chunk_overlaps o ON o.chunk_no = t.chunk_no
         WHERE NOT EXISTS (SELECT 1 FROM new_chunks n WHERE n.chunk_no = t.chunk_no)),
        (SELECT jsonb_agg(jsonb_build_object('chunk_no', n.chunk_no, 'segments', n.segments, 'text', n.text,
                                             'overlap', o.overlap) ORDER BY n.chunk_no)
         FROM new_chunks n LEFT JOIN chunk_overlaps o ON o.chunk_no = n.chunk_no),
        (SELECT jsonb_agg(jsonb_build_object('position', a.position, 'segment', a.segment) ORDER BY a.position)
         FROM appended a WHERE a.segment ? 'id' OR jsonb_typeof(a.segment -> 'timestamp') = 'number'),
        (SELECT jsonb_agg(jsonb_build_object('segment_id', r.segment_id, 'segment', r.segment)) FROM replaced r),
        (SELECT count(*) FROM judged WHERE action = 'append')::integer,
        (SELECT count(*) FROM judged WHERE action IN ('replace_stored', 'replace_batch'))::integer,
        (SELECT count(*) FROM judged WHERE action = 'drop')::integer,
        (SELECT string_agg(a.segment::text, ',' ORDER BY a.position) FROM appended a),
        EXISTS (SELECT 1 FROM appended) OR EXISTS (SELECT 1 FROM replaced)
    INTO chunk_updates, chunk_inserts, key_inserts, key_updates, added, replaced_total, dropped_total, appended_json,
         changed;

    FOR new_chunk IN SELECT * FROM jsonb_to_recordset(coalesce(chunk_updates, '[]'))
                                   AS u(chunk_no integer, segments jsonb, text text, overlap text)
    LOOP
        UPDATE transcript_chunks c
        SET segments = coalesce(new_chunk.segments, c.segments), text = coalesce(new_chunk.text, c.text),
            overlap = coalesce(new_chunk.overlap, c.overlap)
        WHERE c.recording_id = recording AND c.chunk_no = new_chunk.chunk_no;
    END LOOP;
    FOR new_chunk IN SELECT * FROM jsonb_to_recordset(coalesce(chunk_inserts, '[]'))
                                   AS n(chunk_no integer, segments jsonb, text text, overlap text)
    LOOP
        INSERT INTO transcript_chunks (recording_id, chunk_no, segments, text, overlap)
        VALUES (recording, new_chunk.chunk_no, new_chunk.segments, new_chunk.text, new_chunk.overlap);
    END LOOP;
    FOR new_key IN SELECT (e.key ->> 'position')::integer AS position, e.key -> 'segment' ->> 'id' AS segment_id,
                          transcript_segment_stamp(e.key -> 'segment') AS stamp,
                          transcript_text_hash(e.key -> 'segment') AS text_hash
                   FROM jsonb_array_elements(coalesce(key_inserts, '[]')) AS e(key)
    LOOP
        INSERT INTO transcript_segment_keys (recording_id, position, segment_id, stamp, text_hash)
        VALUES (recording, new_key.position, new_key.segment_id, new_key.stamp, new_key.text_hash);
    END LOOP;
    FOR new_key IN SELECT e.key ->> 'segment_id' AS segment_id, transcript_segment_stamp(e.key -> 'segment') AS stamp,
                          transcript_text_hash(e.key -> 'segment') AS text_hash
                   FROM jsonb_array_elements(coalesce(key_updates, '[]')) AS e(key)
    LOOP
        UPDATE transcript_segment_keys k SET stamp = new_key.stamp, text_hash = new_key.text_hash
        WHERE k.recording_id = recording AND k.segment_id = new_key.segment_id;
    END LOOP;
    IF changed AND subscribed THEN
        PERFORM webhook_enrol_transcript(recording, project);
    END IF;
    RETURN QUERY
    UPDATE desktop_recordings r SET segment_count = stored + added, updated_at = now()
    WHERE r.id = recording
    RETURNING r.id, r.segment_count, added, replaced_total, dropped_total, r.updated_at, r.change_seq,
              CASE WHEN with_segments THEN appended_json END;
    -- Live streams read new segments by position; the stored positions this batch replaced (those before it that
    -- hold one of its ids) are logged. A long list is cut to its first position: a stream then sends everything
    -- from there again.
    SELECT ARRAY(SELECT DISTINCT k.position FROM transcript_segment_keys k
                 WHERE k.recording_id = recording AND k.position < stored
                   AND k.segment_id = ANY (ARRAY(SELECT e.segment ->> 'id'
                                                 FROM jsonb_array_elements(batch) AS e(segment)
                                                 WHERE e.segment ? 'id'))
                 ORDER BY k.position)
    INTO replaced_positions;
    IF cardinality(replaced_positions) > 0 THEN
        PERFORM log_transcript_change(recording, jsonb_build_object('kind', 'segments',
            'replaced', CASE WHEN cardinality(replaced_positions) <= 800 THEN to_jsonb(replaced_positions) END,
            'replaced_from', CASE WHEN cardinality(replaced_positions) > 800 THEN replaced_positions[1] END));
    END IF;
END
$$;

-- A short transcript as one text array, as the version before this one read it (its pods call it while a rolling
-- update replaces them); this version splices the same subquery (TranscriptStore.partsColumn), which Citus accepts in
-- a prepared statement where it refuses an SQL function over a distributed table. Drop it with the next change of
-- this file.
DROP FUNCTION IF EXISTS transcript_parts(uuid, boolean, boolean);
CREATE OR REPLACE FUNCTION transcript_parts(recording uuid, with_text boolean, wanted boolean, from_chunk integer)
RETURNS TABLE (parts text[])
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN wanted THEN ARRAY(
               SELECT CASE part.kind WHEN 1 THEN c.text ELSE btrim(c.segments::text, '[]') END
               FROM transcript_chunks c
               CROSS JOIN unnest(CASE WHEN with_text THEN ARRAY[1, 2] ELSE ARRAY[2] END) AS part(kind)
               WHERE c.recording_id = recording AND c.chunk_no >= from_chunk
               ORDER BY part.kind, c.chunk_no) END
$$;

-- Replaces a recording's whole transcript (PUT and PATCH of transcript_segments). The caller has locked the
-- recording's row in the same transaction (its UPDATE does), so no append runs in between.
CREATE OR REPLACE FUNCTION replace_transcript_segments(recording uuid, new_segments jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    DELETE FROM transcript_chunks c WHERE c.recording_id = recording;
    DELETE FROM transcript_segment_keys k WHERE k.recording_id = recording;
    WITH numbered AS (
        SELECT (s.position - 1)::integer AS position, s.segment
        FROM jsonb_array_elements(new_segments) WITH ORDINALITY AS s(segment, position)
    ), chunks AS (
        SELECT n.position / transcript_chunk_size() AS chunk_no,
               jsonb_agg(n.segment ORDER BY n.position) AS segments,
               string_agg(n.segment ->> 'text', ' ' ORDER BY n.position) AS text
        FROM numbered n
        GROUP BY n.position / transcript_chunk_size()
    ), chunk_rows AS (
        INSERT INTO transcript_chunks (recording_id, chunk_no, segments, text, overlap)
        SELECT recording, c.chunk_no, c.segments, c.text,
               right(string_agg(c.text, ' ') OVER (ORDER BY c.chunk_no
                     ROWS BETWEEN transcript_overlap_chunks() PRECEDING AND 1 PRECEDING), transcript_overlap_length())
        FROM chunks c
        RETURNING 1
    )
    INSERT INTO transcript_segment_keys (recording_id, position, segment_id, stamp, text_hash)
    SELECT recording, n.position, n.segment ->> 'id', transcript_segment_stamp(n.segment),
           transcript_text_hash(n.segment)
    FROM numbered n
    WHERE n.segment ? 'id' OR jsonb_typeof(n.segment -> 'timestamp') = 'number';
    UPDATE desktop_recordings r SET segment_count = jsonb_array_length(new_segments) WHERE r.id = recording;
    PERFORM log_transcript_change(recording, jsonb_build_object('kind', 'transcript'));
    PERFORM webhook_note_transcript(recording);
    RETURN jsonb_array_length(new_segments);
END
$$;

-- Renames a speaker across the whole transcript, or merges two (POST …/speakers/): every segment whose speaker is
-- from_speaker (for null: whose speaker is null or blank) gets to_speaker, and in participants from_speaker becomes
-- to_speaker, kept once. Locks the recording's row first, as an append does: appends wait, and every segment
-- stored before the rename commits is renamed (SpeakerRenameTest's race fails without the lock). Only the chunks
-- that hold a match are rewritten; their text (and so transcript_text and the search index) does not change. A
-- rename that changed segments is logged for live streams. No row when the project has no such recording.
CREATE OR REPLACE FUNCTION rename_transcript_speaker(recording uuid, project bigint, from_speaker text, to_speaker text)
RETURNS TABLE (renamed integer, participants text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    renamed_total integer;
    participant_names text;
BEGIN
    PERFORM 1 FROM desktop_recordings r WHERE r.id = recording AND r.team_id = project FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    WITH matches AS (
        SELECT c.chunk_no, count(*)::integer AS matched
        FROM transcript_chunks c, jsonb_array_elements(c.segments) AS s(segment)
        WHERE c.recording_id = recording
          AND CASE WHEN from_speaker IS NULL
                   THEN coalesce(btrim(s.segment ->> 'speaker'), '') = ''
                   ELSE s.segment ->> 'speaker' = from_speaker END
        GROUP BY c.chunk_no
    ), rewritten AS (
        UPDATE transcript_chunks c
        SET segments = (SELECT jsonb_agg(CASE WHEN CASE WHEN from_speaker IS NULL
                                                        THEN coalesce(btrim(e.segment ->> 'speaker'), '') = ''
                                                        ELSE e.segment ->> 'speaker' = from_speaker END
                                              THEN jsonb_set(e.segment, '{speaker}', to_jsonb(to_speaker))
                                              ELSE e.segment END ORDER BY e.position)
                        FROM jsonb_array_elements(c.segments) WITH ORDINALITY AS e(segment, position))
        FROM matches m
        WHERE c.recording_id = recording AND c.chunk_no = m.chunk_no
        RETURNING 1
    ), recording_row AS (
        UPDATE desktop_recordings r
        SET participants = CASE WHEN from_speaker IS NULL OR NOT r.participants ? from_speaker THEN r.participants
                ELSE (SELECT coalesce(jsonb_agg(to_jsonb(q.name) ORDER BY q.position), '[]'::jsonb)
                      FROM (SELECT CASE WHEN p.name = from_speaker THEN to_speaker ELSE p.name END AS name,
                                   p.position,
                                   row_number() OVER (PARTITION BY CASE WHEN p.name = from_speaker THEN to_speaker
                                                                        ELSE p.name END = to_speaker
                                                      ORDER BY p.position) AS nth
                            FROM jsonb_array_elements_text(r.participants) WITH ORDINALITY AS p(name, position)) q
                      WHERE q.name <> to_speaker OR q.nth = 1) END,
            updated_at = now()
        WHERE r.id = recording
        RETURNING r.participants
    )
    SELECT coalesce((SELECT sum(m.matched) FROM matches m), 0)::integer, rr.participants::text
    INTO renamed_total, participant_names
    FROM recording_row rr;
    IF renamed_total > 0 THEN
        PERFORM log_transcript_change(recording, jsonb_build_object(
            'kind', 'speaker_renamed', 'from', from_speaker, 'to', to_speaker, 'renamed', renamed_total));
        PERFORM webhook_note_transcript(recording);
    END IF;
    RETURN QUERY SELECT renamed_total, participant_names;
END
$$;

