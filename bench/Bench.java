import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.recordings.transcript.TranscriptRepository;

/**
 * The benchmark of bench/README.md, against a running service and its database. Run through bench/run.sh, which
 * starts a fresh service; or by hand:
 *
 * <pre>
 * java -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*' bench/Bench.java \
 *     --url http://localhost:8080 --admin-token TOKEN --jdbc jdbc:postgresql://localhost:PORT/postgres \
 *     [--pid SERVICE_PID] [--parts capacity,throughput,database,race,growth,reads,footprint]
 * </pre>
 *
 * Each part prints a table and appends one JSON line to bench/results.jsonl. Latencies are measured from the moment
 * a request was due, so a slow answer cannot hide the requests queued behind it.
 */
public class Bench {

    static final Map<String, String> options = new LinkedHashMap<>();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(5)).build();
    static String base;
    static String key;
    static String recordings;
    static final Path RESULTS = Path.of("bench/results.jsonl");
    static final String TEXT_150 = "the quarterly roadmap review covered hiring plans, the launch date of the "
            + "desktop app, and which meetings should be recorded by default for every team member";

    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        base = options.getOrDefault("url", "http://localhost:8080");
        List<String> parts = Arrays.asList(options.getOrDefault("parts",
                "capacity,throughput,database,race,growth,reads,footprint").split(","));
        key = provisionKey();
        System.out.printf("%s, %d cores, service %s%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                base);
        Map<String, Double> throughput = new LinkedHashMap<>();
        if (parts.contains("capacity")) {
            capacity();
        }
        if (parts.contains("throughput")) {
            throughput.putAll(throughput());
        }
        if (parts.contains("database")) {
            database(throughput);
        }
        if (parts.contains("race")) {
            race();
        }
        if (parts.contains("growth")) {
            growth();
        }
        if (parts.contains("reads")) {
            reads();
        }
        if (parts.contains("footprint")) {
            footprint();
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. Capacity: meetings that each send 10 segments every 2 s, open loop, ramped up until p99 >= 100 ms.

    static void capacity() throws Exception {
        int seconds = Integer.parseInt(options.getOrDefault("capacity-seconds", "30"));
        List<Map<String, Object>> steps = new ArrayList<>();
        int passed = 0;
        int failed = -1;
        int meetings = Integer.parseInt(options.getOrDefault("capacity-start", "50"));
        Stats best = null;
        for (int step = 0; step < 12 && (failed < 0 || failed - passed > Math.max(10, passed / 10)); step++) {
            Stats stats;
            try {
                stats = meetings(meetings, seconds);
            } catch (Exception overloaded) {
                stats = new Stats();
                stats.errors = meetings;
            }
            // let the service drain what an overloaded step left queued before the next one
            Thread.sleep(5000);
            boolean ok = stats.errors == 0 && stats.percentile(99) < 100 && stats.count > 0;
            steps.add(row("meetings", meetings, "requests", stats.count, "errors", stats.errors,
                    "p50_ms", stats.percentile(50), "p99_ms", stats.percentile(99), "sustained", ok));
            System.out.printf("  %5d meetings: %6d appends, %d errors, p50 %6.1f ms, p99 %7.1f ms  %s%n", meetings,
                    stats.count, stats.errors, stats.percentile(50), stats.percentile(99), ok ? "ok" : "missed");
            if (ok) {
                passed = meetings;
                best = stats;
            } else {
                failed = meetings;
            }
            meetings = failed < 0 ? meetings * 2 : (passed + failed) / 2;
            if (passed == 0 && failed > 0 && failed <= 10) {
                break;
            }
        }
        System.out.printf("Capacity: %d meetings per pod (p50 %.1f ms, p99 %.1f ms, transcripts up to %d segments)%n",
                passed, best == null ? 0 : best.percentile(50), best == null ? 0 : best.percentile(99),
                seconds / 2 * 10);
        record("capacity", row("meetings_per_pod", passed, "p50_ms", best == null ? 0 : best.percentile(50),
                "p99_ms", best == null ? 0 : best.percentile(99), "seconds_per_step", seconds,
                "max_transcript_segments", seconds / 2 * 10, "steps", steps));
    }

    static Stats meetings(int count, int seconds) throws Exception {
        List<String> ids = createRecordings(count);
        Stats stats = new Stats();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
        AtomicInteger sent = new AtomicInteger();
        long periodNanos = TimeUnit.SECONDS.toNanos(2);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        ConcurrentLinkedQueue<CompletableFuture<?>> inFlight = new ConcurrentLinkedQueue<>();
        for (int m = 0; m < count; m++) {
            String id = ids.get(m);
            long offset = periodNanos * m / count;
            AtomicInteger batch = new AtomicInteger();
            clock.scheduleAtFixedRate(() -> {
                int b = batch.getAndIncrement();
                long due = start + offset + b * periodNanos;
                if (b >= seconds / 2) {
                    return;
                }
                sent.incrementAndGet();
                inFlight.add(post(recordings + id + "/append_segments/", batch(b * 10, 10, TEXT_150), true)
                        .whenComplete((answer, failure) -> stats.add(due, answer, failure)));
            }, start - System.nanoTime() + offset, periodNanos, TimeUnit.NANOSECONDS);
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) + 400);
        clock.shutdownNow();
        for (CompletableFuture<?> request : inFlight) {
            try {
                request.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // counted as an error by the stats
            }
        }
        return stats;
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. Append throughput: 32 clients, closed loop, batches of 20, short and long transcripts.

    static Map<String, Double> throughput() throws Exception {
        Map<String, Double> rates = new LinkedHashMap<>();
        System.out.println("Append throughput, 32 clients, batches of 20 segments:");
        for (boolean minimal : new boolean[] { false, true }) {
            List<String> fresh = createRecordings(5000);
            rates.put("short" + (minimal ? "_minimal" : ""), closedLoop("short", fresh, minimal, 0));
            List<String> long50 = prefilledRecordings(50, 2000);
            rates.put("long" + (minimal ? "_minimal" : ""), closedLoop("long", long50, minimal, 2000));
        }
        return rates;
    }

    static double closedLoop(String name, List<String> ids, boolean minimal, int prefilled) throws Exception {
        int clients = 32;
        int warmup = Integer.parseInt(options.getOrDefault("warmup-seconds", "5"));
        int seconds = Integer.parseInt(options.getOrDefault("throughput-seconds", "20"));
        Stats stats = new Stats();
        AtomicInteger next = new AtomicInteger();
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
        long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        AtomicLong answerBytes = new AtomicLong();
        for (int c = 0; c < clients; c++) {
            threads.add(started(() -> {
                while (System.nanoTime() < end) {
                    int n = next.getAndIncrement();
                    String id = ids.get(n % ids.size());
                    long due = System.nanoTime();
                    try {
                        HttpResponse<String> answer = post(recordings + id + "/append_segments/",
                                batch(prefilled + n * 20, 20, TEXT_150), minimal).get();
                        if (due > warmEnd) {
                            stats.add(due, answer, null);
                            answerBytes.addAndGet(answer.body().length());
                        }
                    } catch (Exception e) {
                        if (due > warmEnd) {
                            stats.add(due, null, e);
                        }
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double rate = stats.count / (double) seconds;
        int growth = (int) (stats.count * 20L / ids.size());
        System.out.printf("  %-5s %-7s %7.0f req/s %8.0f seg/s  p50 %6.1f  p95 %6.1f  p99 %6.1f  max %7.1f ms  "
                + "errors %d  transcripts %d -> ~%d segments, answers %.0f KiB avg%n", name,
                minimal ? "minimal" : "full", rate, rate * 20, stats.percentile(50), stats.percentile(95),
                stats.percentile(99), stats.max(), stats.errors, prefilled, prefilled + growth,
                stats.count == 0 ? 0 : answerBytes.get() / 1024.0 / stats.count);
        record("throughput", row("transcripts", name, "answer", minimal ? "minimal" : "full", "clients", clients,
                "recordings", ids.size(), "segments_before", prefilled, "segments_after_avg", prefilled + growth,
                "requests_per_s", rate, "segments_per_s", rate * 20, "p50_ms", stats.percentile(50),
                "p95_ms", stats.percentile(95), "p99_ms", stats.percentile(99), "max_ms", stats.max(),
                "errors", stats.errors));
        return rate;
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. The database's own limit: the service's append statement, same batches and rows, over JDBC, no HTTP.

    static void database(Map<String, Double> service) throws Exception {
        String jdbc = options.get("jdbc");
        if (jdbc == null) {
            System.out.println("Database limit: skipped (no --jdbc)");
            return;
        }
        // Positional parameters, as JDBC writes them, of the very statement the service runs.
        String sql = TranscriptRepository.APPEND.replaceAll("\\$\\d", "?");
        long project = projectId();
        System.out.println("The database's own limit, same statement, 32 connections, no HTTP:");
        for (String kind : List.of("short", "long")) {
            List<String> ids = kind.equals("short") ? createRecordings(5000) : prefilledRecordings(50, 2000);
            int prefilled = kind.equals("short") ? 0 : 2000;
            int seconds = Integer.parseInt(options.getOrDefault("throughput-seconds", "20"));
            int warmup = Integer.parseInt(options.getOrDefault("warmup-seconds", "5"));
            Stats stats = new Stats();
            AtomicInteger next = new AtomicInteger();
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                threads.add(started(() -> {
                    try (Connection connection = DriverManager.getConnection(jdbc, "postgres", "");
                            PreparedStatement append = connection.prepareStatement(sql)) {
                        while (System.nanoTime() < end) {
                            int n = next.getAndIncrement();
                            append.setObject(1, UUID.fromString(ids.get(n % ids.size())));
                            append.setLong(2, project);
                            append.setString(3, segmentsJson(prefilled + n * 20, 20, TEXT_150));
                            long due = System.nanoTime();
                            try (ResultSet rows = append.executeQuery()) {
                                rows.next();
                            }
                            if (due > warmEnd) {
                                stats.addMillis((System.nanoTime() - due) / 1e6);
                            }
                        }
                    } catch (Exception e) {
                        stats.errors++;
                        e.printStackTrace();
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double rate = stats.count / (double) seconds;
            double ratio = service.getOrDefault(kind + "_minimal", Double.NaN) / rate;
            System.out.printf("  %-5s %7.0f statements/s  p50 %6.1f  p99 %6.1f ms  -> service (return=minimal) / "
                    + "database = %.2f%n", kind, rate, stats.percentile(50), stats.percentile(99), ratio);
            record("database", row("transcripts", kind, "segments_before", prefilled, "statements_per_s", rate,
                    "p50_ms", stats.percentile(50), "p99_ms", stats.percentile(99),
                    "service_minimal_requests_per_s", service.getOrDefault(kind + "_minimal", Double.NaN),
                    "ratio", ratio));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. Race: 50 concurrent batches of 20 on one recording, five times.

    static void race() throws Exception {
        List<Map<String, Object>> rounds = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            String id = createRecordings(1).get(0);
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int b = 0; b < 50; b++) {
                answers.add(post(recordings + id + "/append_segments/", batch(b * 20, 20, "race"), true));
            }
            int acknowledged = 0;
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                if (response.statusCode() == 200) {
                    acknowledged += intField(response.body(), "appended");
                }
            }
            String stored = get(recordings + id + "/").body();
            List<String> keys = new ArrayList<>();
            Matcher segment = Pattern.compile("\"text\": \"(race \\d+)\"").matcher(stored);
            while (segment.find()) {
                keys.add(segment.group(1));
            }
            Set<String> distinct = new HashSet<>(keys);
            int lost = acknowledged - distinct.size();
            int duplicated = keys.size() - distinct.size();
            rounds.add(row("acknowledged", acknowledged, "stored", keys.size(), "lost", lost,
                    "duplicated", duplicated));
            System.out.printf("  race round %d: %d acknowledged, %d stored, %d lost, %d duplicated%n", round + 1,
                    acknowledged, keys.size(), lost, duplicated);
        }
        record("race", row("rounds", rounds));
    }

    // ---------------------------------------------------------------------------------------------------------
    // 5. Growth: one recording to 10,000 segments in batches of 10; latency per 500-segment window, WAL bytes.

    static void growth() throws Exception {
        for (boolean minimal : new boolean[] { false, true }) {
            String id = createRecordings(1).get(0);
            List<Map<String, Object>> windows = new ArrayList<>();
            Map<Integer, Long> walPerAppend = new LinkedHashMap<>();
            System.out.printf("Growth, one recording, batches of 10, %s answers:%n", minimal ? "minimal" : "full");
            System.out.println("   segments   median ms   answer KiB");
            Stats window = new Stats();
            long answerBytes = 0;
            for (int segments = 0; segments < 10_000; segments += 10) {
                boolean measureWal = segments == 1000 || segments == 9990;
                long walBefore = measureWal ? walLsn() : 0;
                long due = System.nanoTime();
                HttpResponse<String> answer = post(recordings + id + "/append_segments/",
                        batch(segments, 10, TEXT_150), minimal).get();
                window.add(due, answer, null);
                answerBytes = answer.body().length();
                if (measureWal && walBefore >= 0) {
                    walPerAppend.put(segments + 10, walLsn() - walBefore);
                }
                if ((segments + 10) % 500 == 0) {
                    System.out.printf("   %8d   %9.1f   %10.1f%n", segments + 10, window.percentile(50),
                            answerBytes / 1024.0);
                    windows.add(row("segments", segments + 10, "median_ms", window.percentile(50),
                            "answer_bytes", answerBytes));
                    window = new Stats();
                }
            }
            walPerAppend.forEach((size, bytes) -> System.out.printf("   WAL per append at %d segments: %d bytes%n",
                    size, bytes));
            record("growth", row("answer", minimal ? "minimal" : "full", "windows", windows,
                    "wal_bytes_per_append", walPerAppend));
        }
    }

    static long walLsn() {
        String jdbc = options.get("jdbc");
        if (jdbc == null) {
            return -1;
        }
        try (Connection connection = DriverManager.getConnection(jdbc, "postgres", "");
                ResultSet rows = connection.createStatement()
                        .executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint")) {
            rows.next();
            return rows.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 6. Reads: list (limit 100) and retrieve of a 1,000-segment recording, 32 clients.

    static void reads() throws Exception {
        List<String> listed = createRecordings(100);
        String big = prefilledRecordings(1, 1000).get(0);
        for (String kind : List.of("list", "retrieve")) {
            String path = kind.equals("list") ? recordings + "?limit=100" : recordings + big + "/";
            Stats stats = new Stats();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                threads.add(started(() -> {
                    while (System.nanoTime() < end) {
                        long due = System.nanoTime();
                        try {
                            stats.add(due, getAsync(path).get(), null);
                        } catch (Exception e) {
                            stats.add(due, null, e);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            System.out.printf("  GET %-8s %6.0f req/s  p50 %6.1f  p99 %6.1f ms  errors %d%n", kind,
                    stats.count / 10.0, stats.percentile(50), stats.percentile(99), stats.errors);
            record("reads", row("read", kind, "recordings_listed", listed.size(), "clients", 32,
                    "requests_per_s", stats.count / 10.0, "p50_ms", stats.percentile(50),
                    "p99_ms", stats.percentile(99), "errors", stats.errors));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 7. Footprint: resident memory of the service now (start-up time is measured by run.sh).

    static void footprint() throws IOException {
        String pid = options.get("pid");
        long rssKib = -1;
        if (pid != null) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rssKib = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        }
        double startup = Double.parseDouble(options.getOrDefault("startup-seconds", "-1"));
        System.out.printf("Footprint: start-up to first answer %.2f s, resident memory %.0f MiB%n", startup,
                rssKib / 1024.0);
        record("footprint", row("startup_seconds", startup, "rss_mib", rssKib / 1024.0));
    }

    // ---------------------------------------------------------------------------------------------------------

    static Thread started(Runnable work) {
        Thread thread = new Thread(work);
        thread.start();
        return thread;
    }

    static String provisionKey() throws Exception {
        String admin = options.get("admin-token");
        long project = longField(send("POST", "/api/admin/projects", "{\"name\": \"bench\"}", admin).body(), "id");
        long user = longField(send("POST", "/api/admin/users",
                "{\"email\": \"bench-" + UUID.randomUUID() + "@example.com\"}", admin).body(), "id");
        send("PUT", "/api/admin/projects/" + project + "/members/" + user, null, admin);
        recordings = "/api/projects/" + project + "/desktop_recordings/";
        String created = send("POST", "/api/admin/users/" + user + "/personal_api_keys",
                "{\"label\": \"bench\", \"scopes\": [\"*\"]}", admin).body();
        Matcher value = Pattern.compile("\"value\":\"([^\"]+)\"").matcher(created);
        if (!value.find()) {
            throw new IllegalStateException("no key: " + created);
        }
        return value.group(1);
    }

    static long projectId() {
        return Long.parseLong(recordings.split("/")[3]);
    }

    static List<String> createRecordings(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int start = 0; start < count; start += 64) {
            List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 64); i++) {
                batch.add(HTTP.sendAsync(request(recordings).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"platform\": \"zoom\"}")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> created : batch) {
                String body = created.get().body();
                Matcher id = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(body);
                if (!id.find()) {
                    throw new IllegalStateException("create failed: " + body);
                }
                ids.add(id.group(1));
            }
        }
        return ids;
    }

    static List<String> prefilledRecordings(int count, int segments) throws Exception {
        List<String> ids = createRecordings(count);
        for (String id : ids) {
            for (int done = 0; done < segments; done += 1000) {
                HttpResponse<String> answer = post(recordings + id + "/append_segments/",
                        batch(done, Math.min(1000, segments - done), TEXT_150), true).get();
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("prefill failed: " + answer.body());
                }
            }
        }
        return ids;
    }

    static String segmentsJson(int firstTimestamp, int count, String text) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            int timestamp = firstTimestamp + i;
            json.append(i == 0 ? "" : ",").append("{\"timestamp\": ").append(timestamp * 100L)
                    .append(", \"speaker\": \"Speaker ").append(timestamp % 4).append("\", \"text\": \"")
                    .append(text).append(' ').append(timestamp).append("\", \"confidence\": 0.93, \"is_final\": true}");
        }
        return json.append(']').toString();
    }

    static String batch(int firstTimestamp, int count, String text) {
        return "{\"segments\": " + segmentsJson(firstTimestamp, count, text) + "}";
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json");
    }

    static CompletableFuture<HttpResponse<String>> post(String path, String body, boolean minimal) {
        HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (minimal) {
            builder.header("Prefer", "return=minimal");
        }
        return HTTP.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return HTTP.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return getAsync(path).get();
    }

    static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " "
                    + response.body());
        }
        return response;
    }

    static int intField(String json, String field) {
        return (int) longField(json, field);
    }

    static long longField(String json, String field) {
        Matcher value = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        if (!value.find()) {
            throw new IllegalStateException("no " + field + " in " + json);
        }
        return Long.parseLong(value.group(1));
    }

    static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }

    static void record(String part, Map<String, Object> figures) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("part", part);
        line.put("date", Instant.now().toString());
        line.put("cores", Runtime.getRuntime().availableProcessors());
        line.putAll(figures);
        Files.writeString(RESULTS, json(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** A few lines of JSON writing rather than a dependency: the benchmark runs as a single source file. */
    static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(json(k.toString())).append(':')
                    .append(json(v)));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            list.forEach(v -> out.append(out.length() > 1 ? "," : "").append(json(v)));
            return out.append(']').toString();
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.2f", d);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return "\"" + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Latencies of one run, in milliseconds. */
    static final class Stats {
        private final ConcurrentLinkedQueue<Double> millis = new ConcurrentLinkedQueue<>();
        volatile int count;
        volatile int errors;

        synchronized void add(long dueNanos, HttpResponse<String> answer, Throwable failure) {
            if (failure != null || answer == null || answer.statusCode() != 200) {
                errors++;
                return;
            }
            addMillis((System.nanoTime() - dueNanos) / 1e6);
        }

        synchronized void addMillis(double value) {
            millis.add(value);
            count++;
        }

        synchronized double percentile(double p) {
            if (millis.isEmpty()) {
                return Double.NaN;
            }
            double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
        }

        synchronized double max() {
            return millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }
}
