package dev.recordings.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A database as schema version 2 left it (the whole transcript in the recording's row), filled by that version's
 * own append statement, for the service to migrate when it starts. What version 2 answered for each recording is
 * kept in {@link #BEFORE}.
 */
public class LegacySchemaDatabase implements QuarkusTestResourceLifecycleManager {

    /** What the service of schema version 2 printed for a recording: its raw JSON and text columns. */
    public record Answer(String transcriptSegments, String transcriptText, int segmentCount, String participants) {
    }

    public static final Map<UUID, Answer> BEFORE = new LinkedHashMap<>();
    public static long projectId;
    public static UUID longRecording;
    public static UUID boundaryRecording;

    /** The append of schema version 2 (TranscriptStore.MINIMAL_APPEND before the chunks), unchanged. */
    private static final String VERSION_2_APPEND = """
            WITH target AS (
                SELECT id, transcript_segments || '[]'::jsonb AS transcript_segments FROM desktop_recordings
                WHERE id = ? AND team_id = ?
                FOR UPDATE
            ), merged AS (
                SELECT t.id, m.*
                FROM target t CROSS JOIN LATERAL merge_transcript_segments(t.transcript_segments, ?::text::jsonb) m
            )
            UPDATE desktop_recordings r
            SET transcript_segments = coalesce(m.rewritten, r.transcript_segments) || m.appended,
                transcript_text = CASE
                    WHEN m.rewritten IS NULL THEN concat_ws(' ', nullif(r.transcript_text, ''), m.appended_text)
                    ELSE (SELECT coalesce(string_agg(x.segment ->> 'text', ' ' ORDER BY x.position), '')
                          FROM jsonb_array_elements(m.rewritten || m.appended) WITH ORDINALITY AS x(segment, position))
                END,
                updated_at = now()
            FROM merged m
            WHERE r.id = m.id
            RETURNING m.appended_count""";

    private Path directory;
    private Path migrations;
    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            directory = Files.createTempDirectory("recordings-legacy-pg-");
            migrations = Files.createTempDirectory("recordings-legacy-migrations-");
            for (String version : List.of("V1__initial_schema.sql", "V2__recall_webhook_deliveries.sql")) {
                Files.copy(Path.of("src/main/resources/db/migration", version), migrations.resolve(version));
            }
            postgres = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(true).start();
            Flyway.configure().dataSource(postgres.getPostgresDatabase())
                    .locations("filesystem:" + migrations).load().migrate();
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                fill(connection);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.datasource.reactive.url", "postgresql://localhost:" + postgres.getPort() + "/postgres",
                "quarkus.datasource.username", "postgres", "quarkus.datasource.password", "");
    }

    private static void fill(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO projects (name) VALUES ('legacy')");
            try (ResultSet rows = statement.executeQuery("SELECT max(id) FROM projects")) {
                rows.next();
                projectId = rows.getLong(1);
            }
        }
        longRecording = recording(connection, "[\"Ann\", \"Bob\"]");
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            batch.add(segment(i));
            if (batch.size() == 100) {
                append(connection, longRecording, batch);
                batch.clear();
            }
        }
        // interim results made final, and retries, as version 2 merged them
        append(connection, longRecording, List.of(
                "{\"timestamp\": 700, \"speaker\": \"Ann\", \"text\": \"final seven\", \"confidence\": 1, "
                        + "\"is_final\": true, \"id\": \"seg-7\"}",
                "{\"timestamp\": 100.50, \"speaker\": \"Ann\", \"text\": \"utterance 1 Zürich ✓\", \"confidence\": null, "
                        + "\"is_final\": null}",
                "{\"timestamp\": 499800, \"speaker\": null, \"text\": \"final 4998\", \"confidence\": null, "
                        + "\"is_final\": true, \"id\": \"seg-4998\"}"));
        UUID shortRecording = recording(connection, "[]");
        append(connection, shortRecording, List.of(segment(1), segment(2), segment(3)));
        boundaryRecording = recording(connection, "[\"Cy\"]");
        List<String> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add(segment(i));
        }
        append(connection, boundaryRecording, fiftyOne);
        recording(connection, "[]"); // no transcript at all

        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, transcript_segments::text, transcript_text, "
                        + "jsonb_array_length(transcript_segments), participants::text FROM desktop_recordings")) {
            while (rows.next()) {
                BEFORE.put(rows.getObject(1, UUID.class),
                        new Answer(rows.getString(2), rows.getString(3), rows.getInt(4), rows.getString(5)));
            }
        }
    }

    /** Segment i: an id on every 7th, no timestamp on every 11th, fractions, speakers or none, non-ASCII text. */
    private static String segment(int i) {
        String timestamp = i % 11 == 0 ? "null" : i % 2 == 0 ? Integer.toString(i * 100) : (i * 100) + ".5";
        String speaker = i % 3 == 0 ? "null" : i % 3 == 1 ? "\"Ann\"" : "\"Bob\"";
        String isFinal = i % 5 == 0 ? "false" : i % 5 == 1 ? "null" : "true";
        return "{\"timestamp\": " + timestamp + ", \"speaker\": " + speaker + ", \"text\": \"utterance " + i
                + (i % 4 == 1 ? " Zürich ✓" : "") + "\", \"confidence\": " + (i % 2 == 0 ? "0.75" : "null")
                + ", \"is_final\": " + isFinal + (i % 7 == 0 ? ", \"id\": \"seg-" + i + "\"" : "") + "}";
    }

    private static UUID recording(Connection connection, String participants) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO desktop_recordings "
                + "(id, team_id, sdk_upload_id, platform, meeting_title, participants) "
                + "VALUES (?, ?, ?, 'zoom', 'legacy meeting', ?::jsonb)")) {
            insert.setObject(1, id);
            insert.setLong(2, projectId);
            insert.setObject(3, UUID.randomUUID());
            insert.setString(4, participants);
            insert.executeUpdate();
        }
        return id;
    }

    private static void append(Connection connection, UUID recording, List<String> segments) throws SQLException {
        try (PreparedStatement append = connection.prepareStatement(VERSION_2_APPEND)) {
            append.setObject(1, recording);
            append.setLong(2, projectId);
            append.setString(3, "[" + String.join(",", segments) + "]");
            append.executeQuery().close();
        }
    }

    @Override
    public void stop() {
        try {
            if (postgres != null) {
                postgres.close();
            }
            for (Path path : List.of(directory, migrations)) {
                if (!Files.exists(path)) {
                    continue; // the embedded server removes its own directory when it stops
                }
                try (var files = Files.walk(path)) {
                    files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
