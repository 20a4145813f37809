package dev.recordings.transcript;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.recordings.db.SqlConditions;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The transcript's store: every statement over {@code transcript_chunks}, {@code transcript_segment_keys} and
 * {@code transcript_change_log}, and the SQL functions of {@code R__transcript_functions.sql}; the recording's
 * queries take their transcript parts and the list's search condition from here. A statement about one recording
 * names the recording's parameter in each of its subqueries too ({@code c.recording_id = $1}, not only
 * {@code = r.id}): Citus does not carry the equality into a subquery, and would run it on every shard
 * ({@code CitusReplicasIT} refuses that).
 */
@ApplicationScoped
public class TranscriptStore {

    /** Public for the benchmark, which runs this very statement without HTTP to find the database's own limit. */
    public static final String APPEND = "SELECT id, segment_count, appended_count, replaced_count, dropped_count, "
            + "updated_at, change_seq, appended_segments FROM append_transcript_segments($1, $2, $3::text::jsonb, $4)";

    /**
     * The searchable text of a chunk: its text after the end of the text before it. Written exactly as the
     * expression of the index {@code transcript_chunks_search_idx}, or the planner does not use the index.
     */
    private static final String SEARCHABLE_TEXT = "lower(coalesce(c.overlap || ' ', '') || c.text)";
    /** The predicate of that index: only full chunks are in it. */
    private static final String FULL_CHUNK = "jsonb_array_length(c.segments) = transcript_chunk_size()";
    /**
     * The longest search answered by the index alone: any substring of the transcript text up to this long lies in
     * one chunk's searchable text (the overlap, 99 characters, plus one; see the migration). A longer one is looked
     * up by its first characters and then checked against the whole text of the few recordings that have them.
     */
    static final int SEARCH_WITHIN_ONE_CHUNK = 100;
    /** Trigrams need three characters; a shorter search is checked per recording of the project instead. */
    private static final int SHORTEST_INDEXED_SEARCH = 3;

    /**
     * Up to this many segments (about 1 MB of answer), a read takes its transcripts in the same statement as the
     * recordings and holds them; beyond, it streams them from a cursor. Short reads cost one round trip; long
     * transcripts never sit whole in memory.
     */
    public static final int READ_AT_ONCE = 4_096;
    private static final int TEXT = 1;
    private static final int SEGMENTS = 2;
    /** About a thousand segments per round trip. */
    private static final int PARTS_PER_FETCH = 128;
    /** One part of a chunk {@code c} for {@code part.kind}: its text, or its segments without the brackets. */
    private static final String PART = "CASE part.kind WHEN " + TEXT
            + " THEN c.text ELSE btrim(c.segments::text, '[]') END";
    private static final String PARTS = "SELECT c.recording_id, part.kind, " + PART
            + " FROM unnest($1::uuid[]) WITH ORDINALITY AS r(id, position)"
            + " JOIN transcript_chunks c ON c.recording_id = r.id"
            + " CROSS JOIN unnest($2::int[]) AS part(kind)"
            + " WHERE c.recording_id = ANY ($1)"
            + " ORDER BY r.position, part.kind, c.chunk_no";

    /**
     * Segments {@code $2} (inclusive) to {@code $3} (exclusive, or the count when that is lower) of a recording of
     * a project as one comma-separated run of JSON texts, and the segments at the positions {@code $5} (those below
     * the count), with the segment count, in one statement (one snapshot). The chunk range is named in full so that
     * the read is one index range scan, whatever the transcript's length.
     */
    private static final String WINDOW = "SELECT r.segment_count, r.change_seq,"
            + " (SELECT string_agg(e.segment::text, ',' ORDER BY c.chunk_no, e.slot) FROM transcript_chunks c"
            + " CROSS JOIN LATERAL jsonb_array_elements(c.segments) WITH ORDINALITY AS e(segment, slot)"
            + " WHERE c.recording_id = $1 AND c.chunk_no >= $2 / transcript_chunk_size()"
            + " AND c.chunk_no <= (least(r.segment_count, $3) - 1) / transcript_chunk_size()"
            + " AND c.chunk_no * transcript_chunk_size() + e.slot - 1 >= $2"
            + " AND c.chunk_no * transcript_chunk_size() + e.slot - 1 < least(r.segment_count, $3)) AS segments,"
            + " rep.positions, rep.segments AS replaced"
            + " FROM desktop_recordings r"
            + " CROSS JOIN LATERAL (SELECT array_agg(i.position ORDER BY i.position) AS positions,"
            + " array_agg(s.segment::text ORDER BY i.position) AS segments"
            + " FROM unnest($5::int[]) AS i(position)"
            + " CROSS JOIN LATERAL (SELECT c.segments -> (i.position % transcript_chunk_size()) AS segment"
            + " FROM transcript_chunks c WHERE c.recording_id = $1"
            + " AND c.chunk_no = i.position / transcript_chunk_size()) s"
            + " WHERE i.position < r.segment_count) rep"
            + " WHERE r.id = $1 AND r.team_id = $4";

    /**
     * How long a change log row is kept: far longer than replicas take to poll it, so only a replica that could not
     * reach the database for longer misses one, and its streams then read everything again.
     */
    private static final String CHANGE_LOG_KEPT = "10 minutes";

    private final Pool pool;
    private final Vertx vertx;

    public TranscriptStore(Pool pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
    }

    /**
     * Appends a batch (the JSON text of validated segments); null when the project has no such recording. With
     * {@code withSegments}, the answer has the appended segments as stored.
     */
    public Uni<Appended> append(long projectId, UUID id, String batch, boolean withSegments) {
        return pool.preparedQuery(APPEND).execute(Tuple.of(id, projectId, batch, withSegments))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Appended(summary(row), row.getInteger("change_seq"),
                            row.getString("appended_segments"));
                });
    }

    /**
     * What an append did; its change number as the batch left it (before any change it logged itself: a batch that
     * replaced stored segments logged one), and the appended segments as stored (JSON texts joined by commas) when
     * they were asked for and there were some.
     */
    public record Appended(AppendResult result, int changeSeq, String segments) {
    }

    /**
     * The segments from position {@code from} up to (not including) {@code until} and those at the positions
     * {@code replaced}, as they are stored now; null when the project has no such recording.
     */
    public Uni<TranscriptWindow> window(long projectId, UUID id, int from, int until, int[] replaced) {
        return window(pool, projectId, id, from, until, replaced);
    }

    /** The same, on the caller's connection (a transaction that must not wait for the pool while it holds locks). */
    public Uni<TranscriptWindow> window(SqlClient client, long projectId, UUID id, int from, int until,
            int[] replaced) {
        Integer[] positions = new Integer[replaced.length];
        for (int index = 0; index < replaced.length; index++) {
            positions[index] = replaced[index];
        }
        return client.preparedQuery(WINDOW).execute(Tuple.of(id, from, until, projectId, positions)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            Integer[] replacedPositions = row.getArrayOfIntegers("positions");
            String[] replacedSegments = row.getArrayOfStrings("replaced");
            List<TranscriptWindow.Replaced> replacements = new ArrayList<>();
            for (int index = 0; replacedPositions != null && index < replacedPositions.length; index++) {
                replacements.add(new TranscriptWindow.Replaced(replacedPositions[index], replacedSegments[index]));
            }
            int count = row.getInteger("segment_count");
            String segments = row.getString("segments");
            int end = Math.min(count, until);
            return new TranscriptWindow(count, row.getInteger("change_seq"), from, end,
                    segments == null ? "" : segments, replacements);
        });
    }

    /**
     * Renames a speaker across the transcript (see {@code rename_transcript_speaker}); null when the project has no
     * such recording.
     */
    public Uni<SpeakerRename> renameSpeaker(long projectId, UUID id, String from, String to) {
        return pool.preparedQuery("SELECT renamed, participants FROM rename_transcript_speaker($1, $2, $3, $4)")
                .execute(Tuple.of(id, projectId, from, to))
                .map(rows -> rows.size() == 0 ? null
                        : new SpeakerRename(id, rows.iterator().next().getInteger("renamed"),
                                rows.iterator().next().getString("participants")));
    }

    /**
     * Replaces the whole transcript, inside the caller's transaction, which has already locked the recording's row.
     * On the Hibernate session, not the pool, because that transaction is the one that updates the recording.
     */
    public Uni<Void> replaceAll(UUID id, String segments) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT replace_transcript_segments(?1, cast(cast(?2 AS text) AS jsonb))")
                .setParameter(1, id).setParameter(2, segments)
                .getSingleResult())
                .replaceWithVoid();
    }

    /**
     * A column for a recording's own statement: its short transcript as one text array (null unless {@code wanted}),
     * with the text of each chunk first when {@code withText}, then each chunk's segments as JSON array elements
     * without the brackets, from chunk {@code fromChunk} on (a replica that holds the closed chunks before it:
     * {@link TranscriptCache}). Each argument is an SQL expression; {@code recordingId} the statement's parameter, so
     * that Citus reads one shard. Spliced into the statement rather than called as
     * the SQL function {@code transcript_parts}: Citus refuses a prepared statement that calls an SQL function over a
     * distributed table, and inlined it is the same plan on PostgreSQL.
     */
    public static String partsColumn(String recordingId, String withText, String wanted, String fromChunk) {
        return "CASE WHEN " + wanted + " THEN ARRAY(SELECT " + PART + " FROM transcript_chunks c"
                + " CROSS JOIN unnest(CASE WHEN " + withText + " THEN ARRAY[" + TEXT + ", " + SEGMENTS + "] ELSE ARRAY["
                + SEGMENTS + "] END) AS part(kind) WHERE c.recording_id = " + recordingId + " AND c.chunk_no >= "
                + fromChunk + " ORDER BY part.kind, c.chunk_no) END";
    }

    /**
     * A join for a page of recordings (aliased {@code p}) in one statement: {@code t.parts} is each one's transcript
     * as {@link #partsColumn} with text, read only when {@code wanted} (an SQL condition on the whole page), empty
     * for one without segments. {@code pageIds} is an SQL query of the page's ids. A join on the recording, not a
     * correlated subquery, which Citus refuses over a page it had to merge from several workers.
     */
    public static String pagePartsJoin(String pageIds, String wanted) {
        return "LEFT JOIN (SELECT c.recording_id, array_agg(" + PART + " ORDER BY part.kind, c.chunk_no) AS parts"
                + " FROM transcript_chunks c CROSS JOIN unnest(ARRAY[" + TEXT + ", " + SEGMENTS + "]) AS part(kind)"
                + " WHERE c.recording_id IN (" + pageIds + ") AND " + wanted
                + " GROUP BY c.recording_id) t ON t.recording_id = p.id";
    }

    /**
     * The parts of a {@link #partsColumn} array: every text, then every segments part, each by chunk.
     */
    public static List<TranscriptPart> parts(UUID recording, String[] array, boolean withText) {
        List<TranscriptPart> parts = new ArrayList<>(array.length);
        int texts = withText ? array.length / 2 : 0;
        for (int index = 0; index < array.length; index++) {
            parts.add(index >= texts ? TranscriptPart.segments(recording, array[index])
                    : TranscriptPart.text(recording, array[index]));
        }
        return parts;
    }

    /** The transcript text (every segment's text joined by one space) of the recording aliased {@code recording}. */
    private static String text(String recording) {
        return "coalesce((SELECT string_agg(c.text, ' ' ORDER BY c.chunk_no) FROM transcript_chunks c"
                + " WHERE c.recording_id = " + recording + ".id), '')";
    }

    /**
     * A condition: the transcript text of the recording aliased {@code recording} contains {@code search}, ignoring
     * case. Adds its parameters to {@code values}. The one piece of the store's SQL another type splices (the list's
     * page statement): only inside that statement's WHERE does the planner join the trigram index's candidates to
     * the page, with the count and the transcripts read in the same statement.
     */
    public static String contains(String recording, String search, Tuple values) {
        // Lowered by PostgreSQL, not by Java: the two do not agree on every character, and lower() is what the
        // index holds. Lengths are in code points, as PostgreSQL counts characters.
        boolean withinOneChunk = search.codePointCount(0, search.length()) <= SEARCH_WITHIN_ONE_CHUNK;
        String lookedUp = withinOneChunk ? search
                : search.substring(0, search.offsetByCodePoints(0, SEARCH_WITHIN_ONE_CHUNK));
        values.addString(escapeLike(lookedUp));
        String chunkMatches = SEARCHABLE_TEXT + " LIKE '%' || lower($" + values.size() + ") || '%'";
        // Full chunks through the trigram index; the open chunk of each recording (at most one, with fewer than a
        // chunk's segments) by its key. A search too short for trigrams reads every chunk of the project's
        // recordings instead. The per-recording probes are scalar subqueries: PostgreSQL 17 turned the same test
        // written as EXISTS into a hashed subplan over every chunk of every recording (bench/README.md, search).
        String condition = lookedUp.codePointCount(0, lookedUp.length()) < SHORTEST_INDEXED_SEARCH
                ? "(SELECT true FROM transcript_chunks c WHERE c.recording_id = " + recording + ".id AND "
                        + chunkMatches + " LIMIT 1)"
                : "(" + recording + ".id IN (SELECT c.recording_id FROM transcript_chunks c WHERE " + FULL_CHUNK
                        + " AND " + chunkMatches + ") OR (SELECT true FROM transcript_chunks c"
                        + " WHERE c.recording_id = " + recording + ".id AND c.chunk_no = " + recording
                        + ".segment_count / transcript_chunk_size() AND " + chunkMatches + "))";
        if (withinOneChunk) {
            return condition;
        }
        values.addString(search);
        return condition + " AND strpos(lower(" + text(recording) + "), lower($" + values.size() + ")) > 0";
    }

    /**
     * Segments of the project whose text contains the phrase (ignoring case), in the list's order then by position.
     * Candidate chunks come from the trigram index (full chunks) and from each recording's open chunk, as in
     * {@link #contains}; only their segments are unpacked and checked.
     */
    public Uni<SegmentSearch.Page> search(long projectId, SegmentSearch.Query query) {
        Tuple values = Tuple.of(projectId, escapeLike(query.phrase()), query.phrase());
        String matches = new SqlConditions("r.team_id = $1 AND strpos(lower(e.segment ->> 'text'), lower($3)) > 0",
                values)
                .equal("r.id", query.recordingId())
                .equal("r.platform", query.platform())
                .equal("r.status", query.status())
                .equal("e.segment ->> 'speaker'", query.speaker())
                .toString();
        values.addInteger(query.limit()).addLong(query.offset());
        String sql = "WITH candidates AS ("
                + " SELECT c.recording_id, c.chunk_no, c.segments FROM transcript_chunks c"
                + " WHERE " + FULL_CHUNK + " AND " + SEARCHABLE_TEXT + " LIKE '%' || lower($2) || '%'"
                + " UNION ALL"
                + " SELECT c.recording_id, c.chunk_no, c.segments FROM desktop_recordings r"
                + " CROSS JOIN LATERAL (SELECT o.recording_id, o.chunk_no, o.segments, o.text"
                + " FROM transcript_chunks o WHERE o.recording_id = r.id"
                + " AND o.chunk_no = r.segment_count / transcript_chunk_size() LIMIT 1) c"
                + " WHERE r.team_id = $1 AND lower(c.text) LIKE '%' || lower($2) || '%'"
                + "), hits AS ("
                + " SELECT r.id, r.meeting_title, r.started_at,"
                + " (k.chunk_no * transcript_chunk_size() + e.position - 1)::integer AS position,"
                + " (e.segment -> 'timestamp')::text AS timestamp, e.segment ->> 'speaker' AS speaker,"
                + " e.segment ->> 'text' AS text, (e.segment -> 'is_final')::text AS is_final"
                + " FROM candidates k JOIN desktop_recordings r ON r.id = k.recording_id"
                + " CROSS JOIN LATERAL jsonb_array_elements(k.segments) WITH ORDINALITY AS e(segment, position)"
                + " WHERE " + matches
                + ") SELECT total.count, page.* FROM (SELECT count(*) AS count FROM hits) total"
                + " LEFT JOIN LATERAL (SELECT * FROM hits h ORDER BY h.started_at DESC, h.id DESC, h.position"
                + " LIMIT $" + (values.size() - 1) + " OFFSET $" + values.size() + ") page ON true";
        return pool.preparedQuery(sql).execute(values).map(rows -> {
            long count = 0;
            List<SegmentSearch.Hit> hits = new ArrayList<>();
            for (Row row : rows) {
                count = row.getLong("count");
                if (row.getUUID("id") != null) {
                    String isFinal = row.getString("is_final");
                    String timestamp = row.getString("timestamp");
                    hits.add(new SegmentSearch.Hit(row.getUUID("id"), row.getString("meeting_title"),
                            row.getOffsetDateTime("started_at"), row.getInteger("position"),
                            timestamp == null ? "null" : timestamp, row.getString("speaker"), row.getString("text"),
                            isFinal == null || isFinal.equals("null") ? null : Boolean.valueOf(isFinal)));
                }
            }
            return new SegmentSearch.Page(count, hits);
        });
    }

    /**
     * What changed in each recording since the change number given for it, in the order of {@code ids} (one indexed
     * statement, one index probe per recording, whatever the number of streams: what every replica's live streams
     * poll). A join on the recording rather than a subquery per id, which Citus runs on every worker at once (it
     * refuses a correlated subquery beside the list of ids).
     */
    public Uni<List<TranscriptChanges>> changesSince(UUID[] ids, Integer[] seen) {
        return pool.preparedQuery("""
                        SELECT r.id, r.segment_count, r.change_seq, r.status, l.changes
                        FROM desktop_recordings r
                        LEFT JOIN (SELECT c.recording_id, """ + LOGGED + """
                                              AS changes
                                   FROM transcript_change_log c
                                   JOIN unnest($1::uuid[], $2::int[]) AS w(id, seen)
                                       ON c.recording_id = w.id AND c.seq > w.seen
                                   WHERE c.recording_id = ANY ($1)
                                   GROUP BY c.recording_id) l ON l.recording_id = r.id
                        WHERE r.id = ANY ($1)""")
                .execute(Tuple.of(ids, seen)).map(rows -> {
                    Map<UUID, TranscriptChanges> found = new HashMap<>();
                    for (Row row : rows) {
                        found.put(row.getUUID("id"), changes(row.getUUID("id"), row));
                    }
                    List<TranscriptChanges> changes = new ArrayList<>(ids.length);
                    for (UUID id : ids) {
                        changes.add(found.getOrDefault(id, new TranscriptChanges(id, null, null, null, List.of())));
                    }
                    return changes;
                });
    }

    /** What changed in one recording since change number {@code seen}, read in the caller's transaction. */
    public Uni<TranscriptChanges> changesSince(SqlClient client, UUID recording, int seen) {
        return client.preparedQuery("SELECT r.segment_count, r.change_seq, r.status, (SELECT " + LOGGED
                + " FROM transcript_change_log c WHERE c.recording_id = $1 AND c.seq > $2) AS changes"
                + " FROM desktop_recordings r WHERE r.id = $1")
                .execute(Tuple.of(recording, seen)).map(rows -> rows.size() == 0
                        ? new TranscriptChanges(recording, null, null, null, List.of())
                        : changes(recording, rows.iterator().next()));
    }

    /** The logged changes as one JSON array, in order, each with its number. */
    private static final String LOGGED = "jsonb_agg(jsonb_build_object('seq', c.seq) || c.change ORDER BY c.seq)";

    private static TranscriptChanges changes(UUID recording, Row row) {
        Object logged = row.getValue("changes");
        List<TranscriptChange> changes = new ArrayList<>();
        if (logged instanceof io.vertx.core.json.JsonArray array) {
            for (int index = 0; index < array.size(); index++) {
                changes.add(TranscriptChange.parse(array.getJsonObject(index)));
            }
        }
        return new TranscriptChanges(recording, row.getInteger("segment_count"), row.getInteger("change_seq"),
                row.getString("status"), changes);
    }

    /** Removes the change log rows no stream can still need. */
    public Uni<Void> pruneChangeLog() {
        return pool.query("DELETE FROM transcript_change_log WHERE logged_at < now() - interval '"
                + CHANGE_LOG_KEPT + "'").execute().replaceWithVoid();
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static AppendResult summary(Row row) {
        return new AppendResult(row.getUUID("id"), row.getInteger("segment_count"), row.getInteger("appended_count"),
                row.getInteger("replaced_count"), row.getInteger("dropped_count"),
                row.getOffsetDateTime("updated_at"));
    }

    /**
     * Opens a snapshot: one read-only, repeatable-read transaction on a connection of its own, for reading
     * recordings and their long transcripts as of one moment (a PostgreSQL cursor lives only in a transaction).
     */
    public Uni<Snapshot> snapshot() {
        return pool.getConnection().map(connection -> new Snapshot(connection, vertx));
    }

    /**
     * A read-only transaction and the connection it holds, owned here from start to end: it is ended (rolled back,
     * the connection given back) exactly once, when its transcript parts complete, fail or are cancelled, when its
     * reader's own statements fail or find nothing to stream ({@link #end}), or, should the parts never be
     * subscribed to, {@link #UNCLAIMED_AFTER} after they were handed out. PostgreSQL's idle-in-transaction timeout
     * (60 s) stays as the last net for a client that stops reading while the cursor waits.
     */
    public static final class Snapshot {

        static final Duration UNCLAIMED_AFTER = Duration.ofSeconds(10);
        private static final String BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; "
                + "SET LOCAL idle_in_transaction_session_timeout = '60s'";
        private static final Logger LOG = Logger.getLogger(Snapshot.class);

        private final SqlConnection connection;
        private final Vertx vertx;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Snapshot(SqlConnection connection, Vertx vertx) {
            this.connection = connection;
            this.vertx = vertx;
        }

        /**
         * Runs the reader's statements in the snapshot: they go to the connection together with its BEGIN (the
         * PostgreSQL client pipelines them). A failure ends the snapshot.
         */
        public <T> Uni<T> read(Function<SqlConnection, Uni<T>> statements) {
            Uni<RowSet<Row>> begin = connection.query(BEGIN).execute();
            return Uni.combine().all().unis(begin, statements.apply(connection)).asTuple()
                    .map(Tuple2::getItem2)
                    .onFailure().call(this::end);
        }

        /**
         * The transcripts of the given recordings, chunk by chunk and in their order, from a cursor: a long
         * transcript passes through memory a few chunks at a time, never whole. The snapshot ends with them.
         */
        public Multi<TranscriptPart> parts(List<UUID> recordings, boolean withText) {
            long unclaimed = vertx.setTimer(UNCLAIMED_AFTER.toMillis(), timer -> {
                LOG.warn("A transcript read was never streamed; its snapshot is ended");
                end().subscribe().with(done -> {
                }, failure -> {
                });
            });
            return connection.prepare(PARTS)
                    .onItem().transformToMulti(statement -> statement
                            .createStream(PARTS_PER_FETCH, partsOf(recordings, withText)).toMulti()
                            .onTermination().call(statement::close))
                    .map(TranscriptStore::part)
                    .onSubscription().invoke(() -> vertx.cancelTimer(unclaimed))
                    .onTermination().call(this::end);
        }

        /** Ends the transaction and gives the connection back, whatever state the transaction is in; once. */
        public Uni<Void> end() {
            if (!ended.compareAndSet(false, true)) {
                return Uni.createFrom().voidItem();
            }
            return connection.query("ROLLBACK").execute().replaceWithVoid().onFailure().recoverWithNull()
                    .eventually(connection::close);
        }
    }

    /** The recordings, and which parts: the texts and the segments, or the segments alone. */
    private static Tuple partsOf(List<UUID> recordings, boolean withText) {
        return Tuple.of(recordings.toArray(UUID[]::new),
                withText ? new Integer[] { TEXT, SEGMENTS } : new Integer[] { SEGMENTS });
    }

    private static TranscriptPart part(Row row) {
        return row.getInteger(1) == SEGMENTS ? TranscriptPart.segments(row.getUUID(0), row.getString(2))
                : TranscriptPart.text(row.getUUID(0), row.getString(2));
    }
}
