-- Transcripts move out of the recording's row into bounded chunks, so that an append rewrites one small chunk
-- (and a few key rows) instead of the whole transcript, and the recording's row stays small: its lock is the point
-- where concurrent appends to one recording queue.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Fixed for the life of the data: segment n lives in chunk n / size, at slot n % size; changing the size would need
-- every transcript re-chunked. Small, because an append rewrites the open chunk and re-indexes its text for search:
-- with pgbench (16 clients, batches of 10) chunks of 50 made 700-980 appends/s, chunks of 10 about 1,300, and
-- without the search index either size about 1,650.
CREATE FUNCTION transcript_chunk_size() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 16';
-- How much of the transcript text before a chunk the chunk repeats for search, so that a phrase across chunk
-- boundaries is found in one chunk's searchable text: any substring of up to 100 characters is.
CREATE FUNCTION transcript_overlap_length() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 99';
-- How many chunks before a chunk its overlap can reach into: a full chunk's text has at least 2 * size - 1
-- characters (one-character texts and the spaces between them).
CREATE FUNCTION transcript_overlap_chunks() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (transcript_overlap_length() + 2 * transcript_chunk_size() - 2) / (2 * transcript_chunk_size() - 1)
$$;

ALTER TABLE desktop_recordings ADD COLUMN segment_count INTEGER NOT NULL DEFAULT 0 CHECK (segment_count >= 0);

CREATE TABLE transcript_chunks (
    recording_id UUID    NOT NULL REFERENCES desktop_recordings (id) ON DELETE CASCADE,
    chunk_no     INTEGER NOT NULL CHECK (chunk_no >= 0),
    -- at most transcript_chunk_size() segments, never empty
    segments     JSONB   NOT NULL CHECK (jsonb_typeof(segments) = 'array'),
    -- the texts of the chunk's segments joined by one space; the transcript text is these joined by one space
    text         TEXT    NOT NULL,
    -- the last transcript_overlap_length() characters of the transcript text before this chunk (null for chunk 0)
    overlap      TEXT,
    PRIMARY KEY (recording_id, chunk_no)
);
-- The list's search: a case-insensitive substring, answered by trigrams. Only full chunks are indexed: a GIN index
-- re-inserts every trigram of a row's text each time the row is written, and the open chunk is written by every
-- append (with it indexed, pgbench made about 1,000 appends/s, without it 1,650). A full chunk is indexed once;
-- the one open chunk of each recording is searched directly. The expression and the predicate are repeated in
-- TranscriptRepository, which must match them exactly for the planner to use this index.
CREATE INDEX transcript_chunks_search_idx ON transcript_chunks
    USING gin (lower(coalesce(overlap || ' ', '') || text) gin_trgm_ops)
    WHERE jsonb_array_length(segments) = transcript_chunk_size();

-- What the merge rules look up, one row per stored segment that has an id or a number timestamp: its position, its
-- id, and its timestamp and text (as a SHA-256, so an index entry stays small whatever the text's length). Rather
-- than a GIN jsonb_path_ops index on the chunks, which re-inserts every key of a chunk each time the chunk is
-- rewritten. Measured with pgbench (16 clients, batches of 10, transcripts of 2,000 segments): merely maintaining
-- such a GIN index on these chunks of 16 cost 9% of the append (about 1,370 -> 1,250 appends/s), as much as the
-- key rows do (about 10%), before any lookup through it; the key rows answer each rule with one b-tree probe and
-- carry the position a replacement needs, which containment would have to find by reading the chunk.
CREATE TABLE transcript_segment_keys (
    recording_id UUID    NOT NULL REFERENCES desktop_recordings (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position >= 0),
    segment_id   TEXT,
    stamp        NUMERIC,
    text_hash    BYTEA   NOT NULL
);
-- Retries: same timestamp (by value: 1 and 1.0 are equal as numeric, as in jsonb) and same text. It leads with
-- recording_id, so it also serves the cascade when a recording is deleted.
CREATE INDEX transcript_segment_keys_retry_idx ON transcript_segment_keys (recording_id, stamp, text_hash);
-- Replacements by id. Not unique: a PUT may store two segments with one id, and an append then replaces both.
CREATE INDEX transcript_segment_keys_id_idx ON transcript_segment_keys (recording_id, segment_id)
    WHERE segment_id IS NOT NULL;

-- Existing transcripts, in order: chunk n holds positions n * 16 … n * 16 + 15.
WITH segments AS (
    SELECT r.id AS recording_id, (s.position - 1)::integer AS position, s.segment
    FROM desktop_recordings r, jsonb_array_elements(r.transcript_segments) WITH ORDINALITY AS s(segment, position)
), chunks AS (
    SELECT recording_id, position / transcript_chunk_size() AS chunk_no,
           jsonb_agg(segment ORDER BY position) AS segments,
           string_agg(segment ->> 'text', ' ' ORDER BY position) AS text
    FROM segments
    GROUP BY recording_id, position / transcript_chunk_size()
), chunk_rows AS (
    INSERT INTO transcript_chunks (recording_id, chunk_no, segments, text, overlap)
    SELECT recording_id, chunk_no, segments, text,
           right(string_agg(text, ' ') OVER (PARTITION BY recording_id ORDER BY chunk_no
                 ROWS BETWEEN transcript_overlap_chunks() PRECEDING AND 1 PRECEDING), transcript_overlap_length())
    FROM chunks
    RETURNING 1
)
INSERT INTO transcript_segment_keys (recording_id, position, segment_id, stamp, text_hash)
SELECT recording_id, position, segment ->> 'id',
       CASE WHEN jsonb_typeof(segment -> 'timestamp') = 'number' THEN (segment ->> 'timestamp')::numeric END,
       sha256(convert_to(segment ->> 'text', 'UTF8'))
FROM segments
WHERE segment ? 'id' OR jsonb_typeof(segment -> 'timestamp') = 'number';

UPDATE desktop_recordings SET segment_count = jsonb_array_length(transcript_segments);

ALTER TABLE desktop_recordings DROP COLUMN transcript_segments, DROP COLUMN transcript_text;
DROP FUNCTION merge_transcript_segments(jsonb, jsonb);
