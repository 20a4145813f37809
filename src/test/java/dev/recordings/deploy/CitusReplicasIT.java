package dev.recordings.deploy;

import static org.awaitility.Awaitility.await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.recordings.support.EventStream;
import dev.recordings.support.WebhookReceiver;
import io.restassured.path.json.JsonPath;

/**
 * The service on a real Citus cluster (a coordinator and two workers, started here by
 * {@code src/test/resources/citus/cluster.sh}): every check two replicas pass on one PostgreSQL
 * ({@link ReplicaChecks}), and what only a cluster can get wrong: where the rows live, that an append is one
 * worker's transaction, a database of the version before distributed with its data, webhooks, retention, and a
 * shard moved to the other worker while appends go on. Skipped where Citus is not installed, with one line; in CI
 * ({@code CI=true}, whose .ci/run installs it) that is a failure.
 */
class CitusReplicasIT extends ReplicaChecks {

    private static final Path CLUSTER = Path.of("target/test-classes/citus/cluster.sh");
    private static final int WORKERS = 2;
    private static final String SEEDED_RECORDING = "0b0b0b0b-0000-4000-8000-000000000001";
    private static final String SEEDED_UPLOAD = "0b0b0b0b-0000-4000-8000-0000000000a1";

    private Path directory;
    private int port;

    @Override
    ServiceProcess startFirst() throws Exception {
        if (run("available") != 0) {
            String reason = "Citus is not installed for the PostgreSQL in " + System.getenv().getOrDefault("PG_BIN",
                    "/usr/lib/postgresql/15/bin") + " (docs/operations.md, \"Past one database\"): CitusReplicasIT is "
                    + "skipped";
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + ", which CI does not allow");
            }
            System.out.println("[citus] " + reason);
            Assumptions.abort(reason);
        }
        directory = Files.createTempDirectory("recordings-citus-");
        port = freeRange(WORKERS + 1);
        assertEquals(0, run("start", directory.toString(), Integer.toString(port), Integer.toString(WORKERS)),
                "the Citus cluster starts");
        seedTheVersionBefore();
        return another("first");
    }

    @Override
    ServiceProcess another(String name) throws Exception {
        return ServiceProcess.start(name, Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + port + "/recordings",
                "QUARKUS_DATASOURCE_USERNAME", "rec",
                "QUARKUS_DATASOURCE_PASSWORD", "rec",
                "RECORDINGS_UPLOADS_ENABLED", "false",
                "RECORDINGS_WEBHOOKS_ALLOW_HTTP", "true",
                "RECORDINGS_WEBHOOKS_ALLOW_PRIVATE", "true"));
    }

    @Override
    void stopDatabase() throws Exception {
        if (directory != null) {
            run("stop", directory.toString());
        }
    }

    private static int run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", CLUSTER.toString()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** The first of {@code count} consecutive free ports. */
    private static int freeRange(int count) {
        while (true) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            if (IntStream.range(first, first + count).allMatch(CitusReplicasIT::free)) {
                return first;
            }
        }
    }

    private static boolean free(int candidate) {
        try (ServerSocket socket = new ServerSocket(candidate)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private Connection coordinator() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/recordings", "rec", "rec");
    }

    private List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection connection = coordinator(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<Map<String, Object>> answer = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    row.put(rows.getMetaData().getColumnLabel(column), rows.getObject(column));
                }
                answer.add(row);
            }
            return answer;
        }
    }

    /**
     * A database made by the migrations of the version before this one (up to V9), on the coordinator, with a
     * recording, its transcript, its upload id and an outbox event in it: the service's start then distributes it.
     */
    private void seedTheVersionBefore() throws SQLException {
        Flyway.configure().dataSource("jdbc:postgresql://127.0.0.1:" + port + "/recordings", "rec", "rec")
                .locations("filesystem:src/main/resources/db/migration").target("9").load().migrate();
        try (Connection connection = coordinator(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO projects (id, name) VALUES (900, 'before')");
            statement.execute("INSERT INTO webhook_endpoints (id, team_id, url, events, transcripts, secret) VALUES "
                    + "(gen_random_uuid(), 900, 'http://127.0.0.1:9/', '{recording.created}', false, 'whsec_x')");
            statement.execute("INSERT INTO desktop_recordings (id, team_id, sdk_upload_id, meeting_title) VALUES ('"
                    + SEEDED_RECORDING + "', 900, '" + SEEDED_UPLOAD + "', 'kept through the migration')");
            statement.execute("SELECT * FROM append_transcript_segments('" + SEEDED_RECORDING + "', 900, "
                    + "(SELECT jsonb_agg(jsonb_build_object('timestamp', n, 'text', 'said ' || n)) "
                    + "FROM generate_series(1, 40) n))");
        }
    }

    @Test
    void theRecordingTablesAreDistributedByRecordingAndColocatedAndTheSharedOnesReplicated() throws Exception {
        Map<String, Map<String, Object>> tables = query("SELECT table_name::text AS name, citus_table_type AS type, "
                + "distribution_column AS column, colocation_id FROM citus_tables").stream()
                .collect(Collectors.toMap(row -> (String) row.get("name"), row -> row));
        Object recordings = tables.get("desktop_recordings").get("colocation_id");
        assertEquals("id", tables.get("desktop_recordings").get("column"));
        for (String table : List.of("transcript_chunks", "transcript_segment_keys", "transcript_change_log",
                "webhook_events", "webhook_transcripts")) {
            assertEquals("distributed", tables.get(table).get("type"), table);
            assertEquals("recording_id", tables.get(table).get("column"), table);
            assertEquals(recordings, tables.get(table).get("colocation_id"), table + " colocated with recordings");
        }
        for (String table : List.of("projects", "users", "project_members", "personal_api_keys", "auth_version",
                "webhook_endpoints", "recall_webhook_deliveries", "retention_lease")) {
            assertEquals("reference", tables.get(table).get("type"), table);
        }
        assertEquals("sdk_upload_id", tables.get("recording_uploads").get("column"));
        assertEquals("id", tables.get("webhook_deliveries").get("column"));
        assertEquals(3, query("SELECT 1 FROM pg_dist_object WHERE distribution_argument_index = 0 "
                + "AND colocationid = " + recordings).size(), "the three transcript functions are delegated");
    }

    @Test
    void aDatabaseOfTheVersionBeforeIsDistributedWithItsData() throws Exception {
        String path = "/api/projects/900/desktop_recordings/";
        long user = admin(first).body("{\"email\": \"before@example.com\"}").post("/api/admin/users")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        admin(first).put("/api/admin/projects/900/members/" + user).then().statusCode(204);
        String seededKey = admin(first).body("{\"label\": \"before\", \"scopes\": [\"*\"]}")
                .post("/api/admin/users/" + user + "/personal_api_keys").then().statusCode(201).extract()
                .path("value");
        JsonPath seeded = io.restassured.RestAssured.given().baseUri(first.url(""))
                .header("Authorization", "Bearer " + seededKey).get(path + SEEDED_RECORDING + "/").then()
                .statusCode(200).extract().jsonPath();
        assertEquals("kept through the migration", seeded.getString("meeting_title"));
        assertEquals(SEEDED_UPLOAD, seeded.getString("sdk_upload_id"));
        assertEquals(40, seeded.getList("transcript_segments").size());
        assertEquals("said 1", seeded.getString("transcript_segments[0].text"));
        assertEquals(1, query("SELECT 1 FROM recording_uploads WHERE sdk_upload_id = '" + SEEDED_UPLOAD + "'")
                .size(), "the upload id keeps its uniqueness in its own table");
        assertEquals(1, query("SELECT 1 FROM webhook_events WHERE recording_id = '" + SEEDED_RECORDING + "'")
                .size() + query("SELECT 1 FROM webhook_deliveries WHERE recording_id = '" + SEEDED_RECORDING
                        + "'").size(), "the outbox event of the version before is kept or delivered");
    }

    @Test
    void oneProjectsRecordingsSpreadOverBothWorkersAndItsSearchAndPagesSpanThem() throws Exception {
        Set<String> matching = new HashSet<>();
        for (int index = 0; index < 24; index++) {
            String id = as(first).body("{}").post(projectPath).then().statusCode(201).extract().path("id");
            String text = index % 3 == 0 ? "the zebra crossing " + index : "nothing of note " + index;
            as(index % 2 == 0 ? first : second).header("Prefer", "return=minimal")
                    .body("{\"segments\": [{\"text\": \"" + text + "\"}]}").post(projectPath + id + "/append_segments/")
                    .then().statusCode(200);
            if (index % 3 == 0) {
                matching.add(id);
            }
        }
        String project = projectPath.split("/")[3];
        List<Map<String, Object>> workers = query("SELECT DISTINCT s.nodeport FROM desktop_recordings r "
                + "JOIN citus_shards s ON s.shardid = get_shard_id_for_distribution_column('desktop_recordings', r.id) "
                + "WHERE r.team_id = " + project);
        assertEquals(2, workers.size(), "one project's recordings are on both workers: " + workers);

        Set<String> found = new HashSet<>();
        for (int offset = 0; offset < 12; offset += 3) {
            JsonPath page = as(second).queryParam("search", "ZEBRA").queryParam("limit", 3)
                    .queryParam("offset", offset).get(projectPath).then().statusCode(200).extract().jsonPath();
            assertEquals(8, page.getInt("count"));
            found.addAll(page.getList("results.id"));
        }
        assertEquals(matching, found, "the pages of a search across both workers hold each match once");
    }

    @Test
    void anAppendIsOneCallOnTheWorkerOfItsRecording() throws Exception {
        String id = as(first).body("{}").post(projectPath).then().statusCode(201).extract().path("id");
        String project = projectPath.split("/")[3];
        Object worker = query("SELECT s.nodeport FROM citus_shards s WHERE s.shardid = "
                + "get_shard_id_for_distribution_column('desktop_recordings', '" + id + "'::uuid)").get(0)
                .get("nodeport");
        String plan = query("EXPLAIN SELECT * FROM append_transcript_segments('" + id + "', " + project
                + ", '[{\"text\": \"hello\"}]', true)").stream().map(row -> (String) row.get("QUERY PLAN"))
                .collect(Collectors.joining("\n"));
        assertTrue(plan.contains("Task Count: 1"), plan);
        assertTrue(plan.contains("port=" + worker) && plan.contains("append_transcript_segments"),
                "the call itself goes to the recording's worker: " + plan);

        // and there it commits alone: a statement Citus split into steps sends their results to the other nodes and
        // commits on all of them in two phases, which that worker records in pg_dist_transaction
        int node = ((Number) worker).intValue();
        Set<Object> before = new HashSet<>(onNode(node, "SELECT gid FROM pg_dist_transaction"));
        for (int batch = 0; batch < 20; batch++) {
            // every fourth batch also replaces a segment by id (the append's other path)
            String replacing = batch % 4 == 0 ? ", {\"id\": \"interim\", \"text\": \"version " + batch + "\"}" : "";
            as(first).header("Prefer", "return=minimal").body("{\"segments\": [{\"timestamp\": " + batch
                    + ", \"text\": \"lean " + batch + "\"}, {\"text\": \"untimed\"}" + replacing + "]}")
                    .post(projectPath + id + "/append_segments/").then().statusCode(200);
        }
        List<Object> after = onNode(node, "SELECT gid FROM pg_dist_transaction");
        after.removeAll(before);
        assertEquals(List.of(), after, "appends committed in two phases over several nodes");
        assertEquals("version 16", as(second).get(projectPath + id + "/").then().statusCode(200).extract()
                .jsonPath().getString("transcript_segments.find { it.id == 'interim' }.text"));
    }

    private List<Object> onNode(int nodePort, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + nodePort
                + "/recordings", "rec", "rec"); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<Object> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getObject(1));
            }
            return values;
        }
    }

    /**
     * An instance whose database role refuses any statement that Citus would run on several shards
     * ({@code citus.multi_task_query_log_level = error}): appending, reading, exporting, renaming, replacing and
     * streaming one recording all work through it, so none of them is a multi-shard statement.
     */
    @Test
    void oneRecordingsPathsAreSingleShardStatements() throws Exception {
        try (Connection connection = coordinator(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE single_shard LOGIN PASSWORD 'single' IN ROLE rec");
            statement.execute("ALTER ROLE single_shard SET citus.multi_task_query_log_level = 'error'");
        }
        String id = as(first).body("{}").post(projectPath).then().statusCode(201).extract().path("id");
        try (ServiceProcess strict = ServiceProcess.start("single-shard", Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + port + "/recordings",
                "QUARKUS_DATASOURCE_USERNAME", "single_shard",
                "QUARKUS_DATASOURCE_PASSWORD", "single",
                "QUARKUS_FLYWAY_MIGRATE_AT_START", "false",
                "RECORDINGS_UPLOADS_ENABLED", "false"));
                EventStream stream = EventStream.open(strict.url(projectPath + id + "/transcript/stream/"), key)) {
            assertEquals(200, stream.status, stream.body);
            assertEquals("0", stream.next().id());
            as(strict).header("Prefer", "return=minimal").body("{\"segments\": [{\"timestamp\": 1, \"speaker\": "
                    + "\"Ana\", \"text\": \"first\"}]}").post(projectPath + id + "/append_segments/").then()
                    .statusCode(200);
            assertEquals("first", stream.next(Duration.ofSeconds(5)).json().getString("segments[0].text"));
            as(strict).body("{\"segments\": [{\"id\": \"a\", \"speaker\": \"Ana\", \"text\": \"second\"}]}")
                    .post(projectPath + id + "/append_segments/").then().statusCode(200);
            as(strict).body("{\"from\": \"Ana\", \"to\": \"Bea\"}").post(projectPath + id + "/speakers/").then()
                    .statusCode(200);
            as(strict).get(projectPath + id + "/").then().statusCode(200);
            as(strict).queryParam("format", "vtt").get(projectPath + id + "/transcript/").then().statusCode(200);
            as(strict).body("{\"status\": \"uploading\"}").patch(projectPath + id + "/").then().statusCode(200);
            as(strict).body("{\"transcript_segments\": [{\"text\": \"replaced\"}]}").patch(projectPath + id + "/")
                    .then().statusCode(200);
            assertEquals(List.of("replaced"), as(strict).get(projectPath + id + "/").then().statusCode(200)
                    .extract().jsonPath().getList("transcript_segments.text"));
        }
    }

    @Test
    void webhooksAreDeliveredFromTheDistributedOutbox() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            as(first).body(Map.of("url", receiver.url(), "events", List.of("recording.created",
                    "recording.status_changed", "transcript.updated")))
                    .post(projectPath.replace("desktop_recordings/", "webhook_endpoints/")).then().statusCode(201);
            String id = as(second).body("{\"meeting_title\": \"hooked\"}").post(projectPath).then().statusCode(201)
                    .extract().path("id");
            as(first).body("{\"status\": \"uploading\"}").patch(projectPath + id + "/").then().statusCode(200);
            as(second).body("{\"segments\": [{\"text\": \"announced\"}]}").post(projectPath + id
                    + "/append_segments/").then().statusCode(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(List.of(1, 1, 1),
                    List.of(receiver.ofType("recording.created").size(),
                            receiver.ofType("recording.status_changed").size(),
                            receiver.ofType("transcript.updated").size()), "created, status changed, transcript"));
            assertEquals(List.of("announced"), receiver.ofType("transcript.updated").get(0).json()
                    .getList("data.segments.text"));
        }
    }

    @Test
    void theRetentionSweepDeletesOldRecordingsOnEveryWorker() throws Exception {
        long project = admin(first).body("{\"name\": \"short-lived\"}").post("/api/admin/projects").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        try (Connection connection = coordinator(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO desktop_recordings (id, team_id, sdk_upload_id, started_at) SELECT "
                    + "gen_random_uuid(), " + project + ", gen_random_uuid(), now() - interval '3 days' "
                    + "FROM generate_series(1, 12)");
        }
        admin(first).body("{\"retention_days\": 1}").patch("/api/admin/projects/" + project).then().statusCode(200);
        admin(second).post("/api/admin/retention/run").then().statusCode(200);
        assertEquals(0, query("SELECT 1 FROM desktop_recordings WHERE team_id = " + project).size());
    }

    /**
     * What an operator does when adding a worker: every shard of one busy recording moves to the other worker while
     * three writers append to it and to others; every acknowledged segment is there afterwards, once.
     */
    @Test
    void aShardMovedWhileAppendsGoOnLosesNothing() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < 6; index++) {
            ids.add(as(first).body("{}").post(projectPath).then().statusCode(201).extract().path("id"));
        }
        String moving = ids.get(0);
        Map<String, Object> shard = query("SELECT s.shardid, s.nodeport FROM citus_shards s WHERE s.shardid = "
                + "get_shard_id_for_distribution_column('desktop_recordings', '" + moving + "'::uuid)").get(0);
        int source = ((Number) shard.get("nodeport")).intValue();
        int target = source == port + 1 ? port + 2 : port + 1;

        AtomicBoolean writing = new AtomicBoolean(true);
        Map<String, AtomicInteger> acknowledged = new HashMap<>();
        ids.forEach(id -> acknowledged.put(id, new AtomicInteger()));
        Map<Integer, Integer> refused = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        for (int writer = 0; writer < 3; writer++) {
            int number = writer;
            running.add(writers.submit(() -> {
                int batch = 0;
                while (writing.get()) {
                    String id = batch % 2 == 0 ? moving : ids.get(1 + (batch + number) % (ids.size() - 1));
                    int stamp = (number * 100_000 + batch++) * 2;
                    String body = "{\"segments\": [{\"timestamp\": " + stamp + ", \"text\": \"w" + number + "-"
                            + stamp + "\"}, {\"timestamp\": " + (stamp + 1) + ", \"text\": \"w" + number + "-"
                            + (stamp + 1) + "\"}]}";
                    // a refused batch is sent again until acknowledged: timed segments make the retry harmless
                    while (true) {
                        io.restassured.response.Response answer = as(number == 0 ? first : second)
                                .header("Prefer", "return=minimal").body(body)
                                .post(projectPath + id + "/append_segments/");
                        if (answer.statusCode() == 200) {
                            acknowledged.get(id).addAndGet(answer.jsonPath().getInt("appended"));
                            break;
                        }
                        refused.merge(answer.statusCode(), 1, Integer::sum);
                    }
                }
                return null;
            }));
        }
        Thread.sleep(2_000);
        int before = acknowledged.get(moving).get();
        query("SELECT citus_move_shard_placement(" + shard.get("shardid") + ", '127.0.0.1', " + source
                + ", '127.0.0.1', " + target + ", shard_transfer_mode => 'force_logical')");
        int during = acknowledged.get(moving).get() - before;
        Thread.sleep(2_000);
        writing.set(false);
        for (Future<?> writer : running) {
            writer.get();
        }
        writers.shutdown();

        assertEquals(target, ((Number) query("SELECT s.nodeport FROM citus_shards s WHERE s.shardid = "
                + shard.get("shardid")).get(0).get("nodeport")).intValue(), "the shard is on the other worker");
        assertTrue(during > 0, "appends to the moving recording were acknowledged while it moved");
        for (String id : ids) {
            List<Object> texts = as(second).get(projectPath + id + "/").then().statusCode(200).extract().jsonPath()
                    .getList("transcript_segments.text");
            assertEquals(acknowledged.get(id).get(), texts.size(), "every acknowledged segment of " + id);
            assertEquals(texts.size(), new HashSet<>(texts).size(), "none twice in " + id);
        }
        System.out.printf("shard move under load: %d segments acknowledged to the moving recording, %d during the "
                + "move, refused requests (sent again) by status: %s%n", acknowledged.get(moving).get(), during,
                refused);
        assertNotEquals(0, acknowledged.get(moving).get());
    }
}
