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
import java.util.HashMap;
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


/**
 * The benchmark of bench/README.md, against a running service and its database. Run through bench/run.sh, which
 * starts a fresh service; or by hand:
 *
 * <pre>
 * java -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*' bench/Bench.java \
 *     --url http://localhost:8080 --admin-token TOKEN --jdbc jdbc:postgresql://localhost:PORT/postgres \
 *     [--pid SERVICE_PID] [--db-pid POSTMASTER_PID] [--url2 SECOND_SERVICE_URL]
 *     [--parts cpu,capacity,throughput,database,race,growth,reads,search,streams,crosspod,footprint]
 *     [--viewers true]   (cpu and capacity with one live stream open on every meeting)
 *     [--webhook-subscriber true]   (cpu with a webhook endpoint taking transcript.updated)
 *     [--cpu-answer full]   (cpu with the full answer PostHog's clients ask for, instead of return=minimal)
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
    /** Stored segments before the run: fresh recordings, and recordings pre-filled to 2,000 and 10,000. */
    static final List<Integer> TRANSCRIPT_SIZES = List.of(0, 2_000, 10_000);
    static final String TEXT_150 = "the quarterly roadmap review covered hiring plans, the launch date of the "
            + "desktop app, and which meetings should be recorded by default for every team member";

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            // the HTTP client's threads would keep the JVM (and run.sh, and the service) alive
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        base = options.getOrDefault("url", "http://localhost:8080");
        VIEWERS = Boolean.parseBoolean(options.getOrDefault("viewers", "false"));
        SUBSCRIBER = Boolean.parseBoolean(options.getOrDefault("webhook-subscriber", "false"));
        List<String> parts = Arrays.asList(options.getOrDefault("parts",
                "capacity,throughput,database,race,growth,reads,search,streams,crosspod,footprint").split(","));
        key = provisionKey();
        System.out.printf("%s, %d cores, service %s%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                base);
        Map<String, Double> throughput = new LinkedHashMap<>();
        if (parts.contains("cpu")) {
            cpu();
        }
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
        if (parts.contains("search")) {
            search();
        }
        if (parts.contains("streams")) {
            streams();
        }
        if (parts.contains("crosspod")) {
            crossPod();
        }
        if (parts.contains("footprint")) {
            footprint();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 0. CPU per append: a fixed number of meetings (10 segments every 2 s each, return=minimal unless --cpu-answer
    //    full, open loop), the CPU of the service's JVM and of every PostgreSQL process counted over the load window
    //    only, divided by the appends acknowledged. Repeated; the first window after a start is reported apart
    //    (warm-up).

    static void cpu() throws Exception {
        int meetings = Integer.parseInt(options.getOrDefault("cpu-meetings", "100"));
        int seconds = Integer.parseInt(options.getOrDefault("cpu-seconds", "30"));
        int repeats = Integer.parseInt(options.getOrDefault("cpu-repeats", "4"));
        int prefilled = Integer.parseInt(options.getOrDefault("cpu-segments", "0"));
        boolean minimal = !"full".equals(options.getOrDefault("cpu-answer", "minimal"));
        List<String> ids = prefilled == 0 ? createRecordings(meetings) : prefilledRecordings(meetings, prefilled);
        if (prefilled > 0) {
            settle();
        }
        System.out.printf("CPU per append, %d meetings (10 segments every 2 s), %s answer, %d s windows,"
                + " transcripts from %d segments:%n", meetings, minimal ? "minimal" : "full", seconds, prefilled);
        List<Map<String, Object>> windows = new ArrayList<>();
        Viewers viewers = VIEWERS ? new Viewers(ids) : null;
        com.sun.net.httpserver.HttpServer receiver = SUBSCRIBER ? subscribe() : null;
        for (int repeat = 0; repeat < repeats; repeat++) {
            long transactions = transactions();
            long service = cpuTicks(options.get("pid"), false);
            Map<String, Long> jit = jitTicks(options.get("pid"));
            long database = cpuTicks(options.get("db-pid"), true);
            List<Long> workers = new ArrayList<>();
            for (String worker : workerPids()) {
                workers.add(cpuTicks(worker, true));
            }
            Stats stats = meetings(ids, seconds, prefilled + repeat * (seconds / 2 * 10), minimal);
            List<Double> workersMs = new ArrayList<>();
            for (int worker = 0; worker < workers.size(); worker++) {
                workersMs.add((cpuTicks(workerPids().get(worker), true) - workers.get(worker)) * 1000.0
                        / CLOCK_TICKS / stats.count);
            }
            double jitMs = jitTicksSince(options.get("pid"), jit) * 1000.0 / CLOCK_TICKS / stats.count;
            double transactionsPerAppend = (double) (transactions() - transactions - 1) / stats.count;
            double serviceMs = (cpuTicks(options.get("pid"), false) - service) * 1000.0 / CLOCK_TICKS / stats.count;
            double databaseMs = (cpuTicks(options.get("db-pid"), true) - database) * 1000.0 / CLOCK_TICKS
                    / stats.count;
            System.out.printf("  window %d: %d appends, %d errors, p50 %.1f ms, p99 %.1f ms, service %.3f ms (of it"
                    + " JIT compiler threads %.3f ms), database %.3f ms, %.2f transactions per append%n", repeat + 1,
                    stats.count, stats.errors, stats.percentile(50), stats.percentile(99), serviceMs, jitMs,
                    databaseMs, transactionsPerAppend);
            if (!workersMs.isEmpty()) {
                // on Citus "database" above is the coordinator's, and the transactions counted are its own
                System.out.printf("    Citus workers: %s ms per append (coordinator %.3f ms, all nodes %.3f ms)%n",
                        workersMs.stream().map(ms -> String.format("%.3f", ms)).toList(), databaseMs,
                        databaseMs + workersMs.stream().mapToDouble(Double::doubleValue).sum());
            }
            windows.add(row("appends", stats.count, "errors", stats.errors, "p50_ms", stats.percentile(50),
                    "p99_ms", stats.percentile(99), "service_cpu_ms", serviceMs, "service_jit_cpu_ms", jitMs,
                    "database_cpu_ms", databaseMs, "citus_workers_cpu_ms", workersMs,
                    "transactions_per_append", transactionsPerAppend));
        }
        if (viewers != null) {
            viewers.close();
        }
        if (receiver != null) {
            System.out.printf("  the webhook receiver got %d transcript.updated deliveries%n", received.get());
            receiver.stop(0);
        }
        List<Map<String, Object>> warm = windows.subList(Math.min(1, windows.size() - 1), windows.size());
        double serviceWarm = median(warm, "service_cpu_ms");
        double databaseWarm = median(warm, "database_cpu_ms");
        System.out.printf("CPU per append, warm (median of windows 2-%d): service %.3f ms, database %.3f ms;"
                + " first window: service %.3f ms, database %.3f ms%n", windows.size(), serviceWarm, databaseWarm,
                windows.get(0).get("service_cpu_ms"), windows.get(0).get("database_cpu_ms"));
        record("cpu", row("meetings", meetings, "answer", minimal ? "minimal" : "full", "viewers", VIEWERS,
                "webhook_subscriber", SUBSCRIBER,
                "webhook_deliveries", received.get(), "seconds_per_window", seconds,
                "segments_before", prefilled,
                "service_cpu_ms_warm", serviceWarm, "database_cpu_ms_warm", databaseWarm, "windows", windows));
    }

    /** Transactions the database has ended, all sessions (the reading one included: subtract it). */
    static long transactions() throws Exception {
        try (Connection connection = DriverManager.getConnection(options.get("jdbc"), dbUser(), dbPassword());
                ResultSet rows = connection.createStatement().executeQuery("SELECT pg_stat_clear_snapshot(),"
                        + " xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()")) {
            rows.next();
            return rows.getLong(2);
        }
    }

    /** The database's role: the embedded PostgreSQL's postgres, or the Citus cluster's rec (run.sh with CITUS). */
    static String dbUser() {
        return options.getOrDefault("db-user", "postgres");
    }

    static String dbPassword() {
        return options.getOrDefault("db-password", "");
    }

    /** The postmasters of a Citus cluster's workers (run.sh with CITUS), each measured apart; none otherwise. */
    static List<String> workerPids() {
        String pids = options.getOrDefault("worker-pids", "");
        return pids.isEmpty() ? List.of() : List.of(pids.split(","));
    }

    /** Clock ticks per second of /proc (USER_HZ), 100 on Linux. */
    static final int CLOCK_TICKS = 100;

    /**
     * User and system CPU ticks of a process with all its threads; with {@code tree}, of its children too, those
     * running and those ended (which the process has collected): PostgreSQL's backends, for the postmaster.
     */
    static long cpuTicks(String pid, boolean tree) throws IOException {
        if (pid == null) {
            return 0;
        }
        String[] fields = stat(pid);
        long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        if (tree) {
            ticks += Long.parseLong(fields[15]) + Long.parseLong(fields[16]);
            try (var children = Files.list(Path.of("/proc"))) {
                for (Path process : (Iterable<Path>) children::iterator) {
                    String name = process.getFileName().toString();
                    if (name.chars().allMatch(Character::isDigit)) {
                        try {
                            String[] child = stat(name);
                            if (child[3].equals(pid)) {
                                ticks += Long.parseLong(child[13]) + Long.parseLong(child[14]);
                            }
                        } catch (IOException | RuntimeException gone) {
                            // ended while we looked: its time is in the parent's collected time
                        }
                    }
                }
            }
        }
        return ticks;
    }

    /**
     * CPU ticks of the JVM's JIT compiler threads ("C1 CompilerThre…", "C2 CompilerThre…"), by thread id: the
     * warm-up's cost. HotSpot starts and ends compiler threads with the load; the time of one that ended within a
     * window is lost, so the window's figure is a lower bound.
     */
    static Map<String, Long> jitTicks(String pid) throws IOException {
        Map<String, Long> ticks = new HashMap<>();
        if (pid == null) {
            return ticks;
        }
        try (var threads = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    if (Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                        String[] fields = stat(thread.resolve("stat"));
                        ticks.put(thread.getFileName().toString(),
                                Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
                    }
                } catch (IOException | RuntimeException gone) {
                    // a compiler thread that ended while we looked
                }
            }
        }
        return ticks;
    }

    static long jitTicksSince(String pid, Map<String, Long> before) throws IOException {
        long ticks = 0;
        for (Map.Entry<String, Long> thread : jitTicks(pid).entrySet()) {
            ticks += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return ticks;
    }

    /** The fields of /proc/PID/stat after the command name (which may hold spaces), numbered as proc(5) does. */
    static String[] stat(String pid) throws IOException {
        return stat(Path.of("/proc", pid, "stat"));
    }

    static String[] stat(Path file) throws IOException {
        String line = Files.readString(file);
        String[] rest = line.substring(line.lastIndexOf(')') + 2).split(" ");
        String[] fields = new String[rest.length + 2];
        System.arraycopy(rest, 0, fields, 2, rest.length);
        return fields;
    }

    static double median(List<Map<String, Object>> rows, String field) {
        double[] values = rows.stream().mapToDouble(row -> ((Number) row.get(field)).doubleValue()).sorted().toArray();
        return values.length == 0 ? Double.NaN : values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. Capacity: meetings that each send 10 segments every 2 s, open loop, ramped up until p99 >= 100 ms.

    static void capacity() throws Exception {
        int seconds = Integer.parseInt(options.getOrDefault("capacity-seconds", "30"));
        int shortCapacity = 0;
        for (String size : options.getOrDefault("capacity-sizes", "0,2000,10000").split(",")) {
            int prefilled = Integer.parseInt(size);
            if (prefilled == 0) {
                shortCapacity = capacity(0, seconds, Integer.parseInt(options.getOrDefault("capacity-start", "50")),
                        Integer.MAX_VALUE);
            } else {
                // Long transcripts: one pool of pre-filled recordings, reused by every step, starting just below
                // the short-transcript capacity (or the given start) so that a few steps find the figure.
                int start = shortCapacity > 0 ? shortCapacity * 4 / 5
                        : Integer.parseInt(options.getOrDefault("capacity-start", "50"));
                int pool = Math.max(start * 5 / 4, 100);
                capacity(prefilled, seconds, start, pool);
            }
        }
    }

    /** Ramps meetings (doubling, then bisecting) to the most sustained with p99 under 100 ms and no errors. */
    static int capacity(int prefilled, int seconds, int start, int pool) throws Exception {
        List<String> reused = null;
        if (prefilled > 0) {
            long began = System.nanoTime();
            reused = prefilledRecordings(pool, prefilled);
            settle();
            System.out.printf("  %d recordings pre-filled to %d segments in %.0f s%n", pool, prefilled,
                    (System.nanoTime() - began) / 1e9);
        }
        if (prefilled == 0) {
            // An unmeasured warm-up (JIT, the pool, every connection's cached plans), as long as a pod's first
            // half-minute: with 10 s of it, the first step's p99 decided the figure (the bisection never went back
            // above a step missed while the JIT was still compiling). --capacity-warmup-seconds.
            int warmup = Integer.parseInt(options.getOrDefault("capacity-warmup-seconds", "30"));
            List<String> warming = createRecordings(300);
            try (Viewers viewers = VIEWERS ? new Viewers(warming) : null) {
                meetings(warming, warmup, 0, true);
            }
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        int passed = 0;
        int failed = -1;
        int meetings = Math.min(start, pool);
        Stats best = null;
        int maxSteps = prefilled == 0 ? 14 : 9;
        int repeated = -1;
        for (int step = 0; step < maxSteps && (failed < 0 || failed - passed > Math.max(10, passed / 10)); step++) {
            Stats stats;
            long service = 0;
            long database = 0;
            int viewersEnded = 0;
            try {
                List<String> ids = reused == null ? createRecordings(meetings) : reused.subList(0, meetings);
                try (Viewers viewers = VIEWERS ? new Viewers(ids) : null) {
                    service = cpuTicks(options.get("pid"), false);
                    database = cpuTicks(options.get("db-pid"), true);
                    // new timestamps on every step, so that nothing sent is a retry of what an earlier step stored
                    stats = meetings(ids, seconds, prefilled + step * (seconds / 2 * 10), true);
                    service = cpuTicks(options.get("pid"), false) - service;
                    database = cpuTicks(options.get("db-pid"), true) - database;
                    viewersEnded = viewers == null ? 0 : viewers.ended.get();
                }
            } catch (Exception overloaded) {
                stats = new Stats();
                stats.errors = meetings;
            }
            double serviceMs = stats.count == 0 ? 0 : service * 1000.0 / CLOCK_TICKS / stats.count;
            double databaseMs = stats.count == 0 ? 0 : database * 1000.0 / CLOCK_TICKS / stats.count;
            // let the service drain what an overloaded step left queued before the next one
            Thread.sleep(5000);
            boolean ok = stats.errors == 0 && stats.percentile(99) < 100 && stats.count > 0 && viewersEnded == 0;
            steps.add(row("meetings", meetings, "requests", stats.count, "errors", stats.errors,
                    "p50_ms", stats.percentile(50), "p99_ms", stats.percentile(99), "service_cpu_ms", serviceMs,
                    "database_cpu_ms", databaseMs, "viewers_ended_early", viewersEnded, "sustained", ok));
            System.out.printf("  %5d meetings: %6d appends, %d errors, p50 %6.1f ms, p99 %7.1f ms, per append"
                    + " service %.3f ms, database %.3f ms%s  %s%n", meetings, stats.count, stats.errors,
                    stats.percentile(50), stats.percentile(99), serviceMs, databaseMs,
                    viewersEnded > 0 ? ", " + viewersEnded + " viewers ended early" : "", ok ? "ok" : "missed");
            if (ok) {
                passed = meetings;
                best = stats;
                if (meetings == pool) {
                    break; // every pre-filled recording is in use: at least this many
                }
            } else if (repeated != meetings) {
                // A missed step is run once more before it counts: one checkpoint, autovacuum pass or burst from
                // the machine's other tenants must not cap the figure (the bisection never goes back above it).
                repeated = meetings;
                continue;
            } else {
                failed = meetings;
            }
            meetings = Math.min(pool, failed < 0 ? meetings * 2 : (passed + failed) / 2);
            if (passed == 0 && failed > 0 && failed <= 10) {
                break;
            }
        }
        System.out.printf("Capacity with transcripts from %d segments%s: %d meetings per pod (p50 %.1f ms, p99 %.1f ms)%n",
                prefilled, VIEWERS ? ", a viewer on each" : "", passed, best == null ? 0 : best.percentile(50),
                best == null ? 0 : best.percentile(99));
        record("capacity", row("segments_before", prefilled, "viewers", VIEWERS, "meetings_per_pod", passed,
                "p50_ms", best == null ? 0 : best.percentile(50), "p99_ms", best == null ? 0 : best.percentile(99),
                "seconds_per_step", seconds, "steps", steps));
        return passed;
    }

    static Stats meetings(List<String> ids, int seconds, int firstTimestamp, boolean minimal) throws Exception {
        int count = ids.size();
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
                inFlight.add(post(recordings + id + "/append_segments/",
                        batch(firstTimestamp + b * 10, 10, TEXT_150), minimal)
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
        // --throughput-cases 0_minimal,…: only those (named as in the results: segments before, _minimal)
        List<String> cases = Arrays.asList(options.getOrDefault("throughput-cases", "").split(","));
        for (boolean minimal : new boolean[] { false, true }) {
            for (int prefilled : TRANSCRIPT_SIZES) {
                if (prefilled == 10_000 && !minimal) {
                    continue; // the full answer is the transcript itself: 4 MiB each, it measures the network
                }
                if (!cases.get(0).isEmpty() && !cases.contains(prefilled + (minimal ? "_minimal" : ""))) {
                    continue;
                }
                List<String> ids = prefilled == 0 ? createRecordings(5000) : prefilledRecordings(50, prefilled);
                rates.put(prefilled + (minimal ? "_minimal" : ""),
                        closedLoop(prefilled == 0 ? "short" : "long", ids, minimal, prefilled));
            }
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
        String sql = "SELECT id, segment_count, appended_count, replaced_count, dropped_count, updated_at"
                + " FROM append_transcript_segments(?, ?, ?::text::jsonb)";
        long project = projectId();
        System.out.println("The database's own limit, same statement, 32 connections, no HTTP:");
        for (int prefilled : TRANSCRIPT_SIZES) {
            String kind = Integer.toString(prefilled);
            List<String> ids = prefilled == 0 ? createRecordings(5000) : prefilledRecordings(50, prefilled);
            int seconds = Integer.parseInt(options.getOrDefault("throughput-seconds", "20"));
            int warmup = Integer.parseInt(options.getOrDefault("warmup-seconds", "5"));
            Stats stats = new Stats();
            AtomicInteger next = new AtomicInteger();
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                threads.add(started(() -> {
                    try (Connection connection = DriverManager.getConnection(jdbc, dbUser(), dbPassword());
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
            System.out.printf("  from %5s segments %7.0f statements/s  p50 %6.1f  p99 %6.1f ms  -> service (return=minimal) / "
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
    // 5. Growth: one recording to 20,000 segments in batches of 10, return=minimal (a full answer is the whole
    //    transcript, so its size grows by definition); median latency per 500-segment window, WAL bytes.

    static void growth() throws Exception {
        int total = Integer.parseInt(options.getOrDefault("growth-segments", "20000"));
        List<Integer> walAt = List.of(500, 10_000, 20_000);
        int walAppends = 20;
        String id = createRecordings(1).get(0);
        List<Map<String, Object>> windows = new ArrayList<>();
        Map<Integer, Long> walPerAppend = new LinkedHashMap<>();
        System.out.println("Growth, one recording, batches of 10, return=minimal:");
        System.out.println("   segments   median ms");
        Stats window = new Stats();
        long walBefore = -1;
        for (int segments = 0; segments < total; segments += 10) {
            int after = segments + 10;
            // WAL averaged over the 20 appends that end at each size: a chunk is opened every fifth one
            boolean walStart = walAt.contains(after + (walAppends - 1) * 10);
            if (walStart) {
                walBefore = walLsn();
            }
            long due = System.nanoTime();
            HttpResponse<String> answer = post(recordings + id + "/append_segments/",
                    batch(segments, 10, TEXT_150), true).get();
            window.add(due, answer, null);
            if (walAt.contains(after) && walBefore >= 0) {
                walPerAppend.put(after, (walLsn() - walBefore) / walAppends);
            }
            if (after % 500 == 0) {
                System.out.printf("   %8d   %9.2f%n", after, window.percentile(50));
                windows.add(row("segments", after, "median_ms", window.percentile(50)));
                window = new Stats();
            }
        }
        double first = (Double) windows.get(0).get("median_ms");
        double last = (Double) windows.get(windows.size() - 1).get("median_ms");
        walPerAppend.forEach((size, bytes) -> System.out.printf("   WAL per append at %d segments: %d bytes%n",
                size, bytes));
        long walFirst = walPerAppend.getOrDefault(500, -1L);
        long walLast = walPerAppend.getOrDefault(20_000, -1L);
        System.out.printf("   last window / first window: %.2f; WAL at 20,000 / WAL at 500: %.2f%n", last / first,
                walLast / (double) walFirst);
        record("growth", row("answer", "minimal", "windows", windows, "wal_bytes_per_append", walPerAppend,
                "last_over_first_window", last / first, "wal_ratio_20000_over_500", walLast / (double) walFirst));
    }

    /**
     * After a bulk pre-fill: statistics for the planner, the visibility map, and a checkpoint, so that the step
     * measured next does not pay for the pre-fill's autovacuum and full-page writes.
     */
    static void settle() throws Exception {
        try (Connection connection = DriverManager.getConnection(options.get("jdbc"), dbUser(), dbPassword())) {
            connection.createStatement().execute("VACUUM ANALYZE");
            connection.createStatement().execute("CHECKPOINT");
        }
    }

    static long walLsn() {
        String jdbc = options.get("jdbc");
        if (jdbc == null) {
            return -1;
        }
        try (Connection connection = DriverManager.getConnection(jdbc, dbUser(), dbPassword());
                ResultSet rows = connection.createStatement()
                        .executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint")) {
            rows.next();
            return rows.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 6. Reads, 32 clients: list (limit 100, short transcripts), retrieve of a 10,000-segment recording, and a list
    //    page of 10 recordings of 10,000 segments each; the service's peak resident memory during each.

    static void reads() throws Exception {
        // the long ones first: the list shows the newest 100, which should be the short ones
        prefilledRecordings(10, 10_000);
        String big = prefilledRecordings(1, 10_000).get(0);
        List<String> listed = createRecordings(100);
        for (String kind : List.of("list", "retrieve", "list-long")) {
            String path = switch (kind) {
                case "list" -> recordings + "?limit=100";
                case "retrieve" -> recordings + big + "/";
                default -> recordings + "?limit=10&offset=101";
            };
            Stats stats = new Stats();
            AtomicLong peakRss = new AtomicLong(rssKib());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<Thread> threads = new ArrayList<>();
            threads.add(started(() -> {
                while (System.nanoTime() < end) {
                    peakRss.accumulateAndGet(rssKib(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
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
            System.out.printf("  GET %-8s %6.0f req/s  p50 %6.1f  p99 %6.1f ms  errors %d  peak RSS %.0f MiB%n", kind,
                    stats.count / 10.0, stats.percentile(50), stats.percentile(99), stats.errors,
                    peakRss.get() / 1024.0);
            record("reads", row("read", kind, "recordings_listed", listed.size(),
                    "segments_per_answer", switch (kind) {
                        case "list" -> 0;
                        case "retrieve" -> 10_000;
                        default -> 100_000;
                    }, "clients", 32,
                    "requests_per_s", stats.count / 10.0, "p50_ms", stats.percentile(50),
                    "p99_ms", stats.percentile(99), "errors", stats.errors, "peak_rss_mib", peakRss.get() / 1024.0));
        }
    }

    static long rssKib() {
        String pid = options.get("pid");
        if (pid == null) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // the service is gone: no figure
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------------------
    // 7. Search: the list's search over projects of 100 and 1,000 recordings of 1,000 segments each, a phrase said
    //    in three of them; p50/p99 of 200 requests one after the other, and the plan of the query.

    static final String NEEDLE = "zebra crossing budget";

    /** Said inside one segment of three recordings (the second half of NEEDLE's two segments). */
    static final String SEGMENT_NEEDLE = "crossing budget";

    static void search() throws Exception {
        String saved = recordings;
        try {
            for (int count : List.of(100, 1_000)) {
                recordings = newProject();
                List<String> ids = prefilledRecordings(count, 1_000);
                for (int i = 0; i < 3; i++) {
                    post(recordings + ids.get(i * count / 3) + "/append_segments/", "{\"segments\": ["
                            + "{\"timestamp\": 99999999, \"text\": \"then a zebra\"},"
                            + "{\"timestamp\": 99999999, \"text\": \"crossing budget was approved\"}]}", true).get();
                }
                // planner statistics for the new rows, as autovacuum would give them a little later
                settle();
                String path = recordings + "?limit=10&search=" + NEEDLE.replace(" ", "%20");
                Stats stats = new Stats();
                int found = 0;
                for (int i = 0; i < 220; i++) {
                    long due = System.nanoTime();
                    HttpResponse<String> answer = get(path);
                    if (i >= 20) {
                        stats.add(due, answer, null);
                    }
                    found = intField(answer.body(), "count");
                }
                System.out.printf("  search over %d recordings x 1,000 segments: p50 %.1f ms, p99 %.1f ms, %d found%n",
                        count, stats.percentile(50), stats.percentile(99), found);
                String plan = searchPlan();
                System.out.println(plan.indent(4));
                record("search", row("recordings", count, "segments_per_recording", 1_000, "found", found,
                        "p50_ms", stats.percentile(50), "p99_ms", stats.percentile(99), "plan", plan));

                // the search across recordings: segment-level hits for a phrase inside one segment
                String segmentPath = recordings + "search/?q=" + SEGMENT_NEEDLE.replace(" ", "%20");
                Stats segmentStats = new Stats();
                int hits = 0;
                for (int i = 0; i < 220; i++) {
                    long due = System.nanoTime();
                    HttpResponse<String> answer = get(segmentPath);
                    if (i >= 20) {
                        segmentStats.add(due, answer, null);
                    }
                    hits = intField(answer.body(), "count");
                }
                System.out.printf("  search across %d recordings x 1,000 segments (segment hits): p50 %.1f ms, "
                        + "p99 %.1f ms, %d hits%n", count, segmentStats.percentile(50), segmentStats.percentile(99),
                        hits);
                record("segment_search", row("recordings", count, "segments_per_recording", 1_000, "hits", hits,
                        "p50_ms", segmentStats.percentile(50), "p99_ms", segmentStats.percentile(99)));
            }
        } finally {
            recordings = saved;
        }
    }

    /**
     * The plan of the list's search statement as the service last sent it: its text is taken from
     * pg_stat_activity (the bench imports nothing of the service), and explained as the generic plan every
     * session caches after five runs.
     */
    static String searchPlan() throws Exception {
        try (Connection connection = DriverManager.getConnection(options.get("jdbc"), dbUser(), dbPassword())) {
            String sql;
            try (ResultSet rows = connection.createStatement().executeQuery("SELECT query FROM pg_stat_activity"
                    + " WHERE pid <> pg_backend_pid() AND datname = current_database()"
                    + " AND query LIKE '%transcript_chunks%' AND query LIKE '%LIKE%' AND query LIKE '%count(%'"
                    + " ORDER BY query_start DESC LIMIT 1")) {
                if (!rows.next()) {
                    return "(the search statement was not found in pg_stat_activity)";
                }
                sql = rows.getString(1);
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = connection.createStatement().executeQuery("EXPLAIN (GENERIC_PLAN, COSTS OFF) "
                    + sql)) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 7. Footprint: resident memory of the service now (start-up time is measured by run.sh).

    // ---------------------------------------------------------------------------------------------------------
    // Live transcripts: fan-out on one pod, and delivery from one pod to another.

    /**
     * Open streams, each watching a recording that one meeting appends 10 segments to every 2 s: the delay from an
     * append's answer to its event on the stream, and the pod's resident memory with the streams open.
     */
    static void streams() throws Exception {
        int streams = Integer.parseInt(options.getOrDefault("streams", "1000"));
        int seconds = Integer.parseInt(options.getOrDefault("stream-seconds", "30"));
        for (String size : options.getOrDefault("stream-recordings", "100,1000").split(",")) {
            int watched = Integer.parseInt(size);
            long before = rssKib();
            StreamRun run = streamRun(base, base, watched, streams, seconds);
            long after = rssKib();
            System.out.printf("Streams: %d open on one pod over %d recordings (%d per recording), 10 segments every "
                    + "2 s to each recording: %d events measured, delivery p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
                    + "appends answered %s; %d streams ended early; resident memory %.0f MiB before opening them, "
                    + "%.0f MiB at the end%n", streams, watched, streams / watched, run.latency.count,
                    run.latency.percentile(50), run.latency.percentile(99), run.latency.max(), run.appendStatuses,
                    run.lost.get(), before / 1024.0, after / 1024.0);
            record("streams", row("streams", streams, "recordings", watched, "seconds", seconds,
                    "events", run.latency.count, "p50_ms", run.latency.percentile(50),
                    "p99_ms", run.latency.percentile(99), "max_ms", run.latency.max(),
                    "append_statuses", run.appendStatuses.toString(), "streams_ended_early", run.lost.get(),
                    "rss_before_mib", before / 1024.0, "rss_after_mib", after / 1024.0));
        }
    }

    /** Appends on one service process, streams on a second one on the same database (run.sh starts it). */
    static void crossPod() throws Exception {
        String other = options.get("url2");
        if (other == null) {
            throw new IllegalStateException("crosspod needs --url2 (bench/run.sh starts the second process)");
        }
        int watched = Integer.parseInt(options.getOrDefault("crosspod-recordings", "50"));
        int seconds = Integer.parseInt(options.getOrDefault("stream-seconds", "30"));
        StreamRun same = streamRun(base, base, watched, watched, seconds);
        StreamRun across = streamRun(base, other, watched, watched, seconds);
        System.out.printf("Cross-pod: %d recordings, 10 segments every 2 s each, one stream each.%n"
                + "  stream on the appending pod: p50 %.1f ms, p99 %.1f ms (%d events)%n"
                + "  stream on the other pod:     p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d events, %d ended early)%n",
                watched, same.latency.percentile(50), same.latency.percentile(99), same.latency.count,
                across.latency.percentile(50), across.latency.percentile(99), across.latency.max(),
                across.latency.count, across.lost.get());
        record("crosspod", row("recordings", watched, "seconds", seconds,
                "same_pod_p50_ms", same.latency.percentile(50), "same_pod_p99_ms", same.latency.percentile(99),
                "other_pod_p50_ms", across.latency.percentile(50), "other_pod_p99_ms", across.latency.percentile(99),
                "other_pod_max_ms", across.latency.max(), "events", across.latency.count,
                "streams_ended_early", across.lost.get()));
    }

    record StreamRun(Stats latency, Map<Integer, Integer> appendStatuses, AtomicInteger lost) {
    }

    /** --viewers: the cpu and capacity parts run with one live stream open on every meeting's recording. */
    static boolean VIEWERS;
    /**
     * --webhook-subscriber: the cpu part runs with a webhook endpoint of the project taking transcript.updated, at a
     * receiver in this process that answers 204 (run.sh lets the service call this machine).
     */
    static boolean SUBSCRIBER;
    static final AtomicInteger received = new AtomicInteger();

    static com.sun.net.httpserver.HttpServer subscribe() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        String project = recordings.substring(0, recordings.length() - "desktop_recordings/".length());
        send("POST", project + "webhook_endpoints/", "{\"url\": \"http://127.0.0.1:" + server.getAddress().getPort()
                + "/hooks\", \"events\": [\"transcript.updated\"]}", key);
        return server;
    }

    /** One live stream on each recording, its events read and dropped, until closed. */
    static final class Viewers implements AutoCloseable {
        final AtomicInteger ended = new AtomicInteger();
        private final List<java.util.concurrent.Flow.Subscription> subscriptions =
                java.util.Collections.synchronizedList(new ArrayList<>());
        private final java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(2);
        private final Set<String> endedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile boolean closing;

        Viewers(List<String> ids) throws Exception {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads)
                    .build();
            List<CompletableFuture<Void>> ready = new ArrayList<>();
            for (String id : ids) {
                // in waves: a stream's opening is a request in flight until its first event, and opening them all
                // at once ran into the service's load shedding (503 beyond 256 requests in flight)
                if (ready.size() % 100 == 0 && !ready.isEmpty()) {
                    CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                }
                CompletableFuture<Void> first = new CompletableFuture<>();
                ready.add(first);
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + recordings + id
                        + "/transcript/stream/")).header("Authorization", "Bearer " + key).build();
                client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(
                        new java.util.concurrent.Flow.Subscriber<String>() {
                            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                                subscriptions.add(subscription);
                                subscription.request(Long.MAX_VALUE);
                            }

                            public void onNext(String line) {
                                if (line.isEmpty()) {
                                    first.complete(null);
                                }
                            }

                            public void onError(Throwable failure) {
                                ended();
                            }

                            public void onComplete() {
                                ended();
                            }

                            private void ended() {
                                if (!closing && endedIds.add(id)) {
                                    ended.incrementAndGet();
                                }
                                first.complete(null);
                            }
                        }));
            }
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            if (ended.get() > 0) {
                System.out.printf("  %d of %d viewers could not open their stream%n", ended.get(), ids.size());
            }
        }


        @Override
        public void close() {
            closing = true;
            subscriptions.forEach(java.util.concurrent.Flow.Subscription::cancel);
            threads.shutdownNow();
        }
    }

    /**
     * Opens {@code streams} streams on {@code watchUrl} over {@code watched} new recordings, then for the given time
     * appends 10 segments every 2 s to each recording on {@code appendUrl} (open loop, staggered), and measures
     * each event's delay after the answer of the append that made it (both clocks are this process's).
     */
    static StreamRun streamRun(String appendUrl, String watchUrl, int watched, int streams, int seconds)
            throws Exception {
        List<String> ids = createRecordings(watched);
        Stats latency = new Stats();
        Map<Integer, Integer> appendStatuses = new java.util.concurrent.ConcurrentSkipListMap<>();
        AtomicInteger lost = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean(true);
        // recording:count -> {answered at, event at}; whichever comes second measures
        Map<String, long[]> moments = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.BiConsumer<String, Boolean> arrived = (point, isEvent) -> {
            long now = System.nanoTime();
            long[] times = moments.computeIfAbsent(point, k -> new long[2]);
            synchronized (times) {
                times[isEvent ? 1 : 0] = now;
                if (times[0] != 0 && times[1] != 0) {
                    latency.addMillis(Math.max(0, times[1] - times[0]) / 1e6);
                    moments.remove(point);
                }
            }
        };
        AtomicInteger opened = new AtomicInteger();
        List<CompletableFuture<?>> connections = new ArrayList<>();
        java.util.concurrent.ExecutorService streamThreads = Executors.newFixedThreadPool(2);
        HttpClient streamsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(streamThreads).build();
        for (int stream = 0; stream < streams; stream++) {
            String id = ids.get(stream % ids.size());
            boolean measured = stream < ids.size();   // one stream per recording measures; the rest only watch
            CompletableFuture<Void> ready = new CompletableFuture<>();
            HttpRequest request = HttpRequest.newBuilder(URI.create(watchUrl + recordings + id
                    + "/transcript/stream/")).header("Authorization", "Bearer " + key).build();
            connections.add(streamsClient.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(
                    new java.util.concurrent.Flow.Subscriber<String>() {
                        String event;
                        String eventId;

                        public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                            subscription.request(Long.MAX_VALUE);
                        }

                        public void onNext(String line) {
                            if (line.startsWith("event: ")) {
                                event = line.substring(7);
                            } else if (line.startsWith("id: ")) {
                                eventId = line.substring(4);
                            } else if (line.isEmpty() && event != null) {
                                if (!ready.isDone()) {
                                    ready.complete(null);
                                } else if (measured && event.equals("segments")) {
                                    arrived.accept(id + ":" + eventId, true);
                                }
                                event = null;
                                eventId = null;
                            }
                        }

                        public void onError(Throwable failure) {
                            ended();
                        }

                        public void onComplete() {
                            ended();
                        }

                        private void ended() {
                            if (measuring.get()) {
                                lost.incrementAndGet();
                            }
                            ready.complete(null);
                        }
                    })));
            ready.get(30, TimeUnit.SECONDS);
            opened.incrementAndGet();
        }
        Thread.sleep(1000);
        ScheduledExecutorService schedule = Executors.newScheduledThreadPool(2);
        int[] counts = new int[ids.size()];
        long startNanos = System.nanoTime();
        for (int index = 0; index < ids.size(); index++) {
            int meeting = index;
            long offset = 2_000_000_000L * index / ids.size();
            schedule.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - startNanos > seconds * 1_000_000_000L) {
                    return;
                }
                int first;
                synchronized (counts) {
                    first = counts[meeting];
                    counts[meeting] += 10;
                }
                String id = ids.get(meeting);
                HttpRequest append = HttpRequest.newBuilder(URI.create(appendUrl + recordings + id
                        + "/append_segments/")).timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .header("Prefer", "return=minimal")
                        .POST(HttpRequest.BodyPublishers.ofString(batch(first, 10, TEXT_150))).build();
                HTTP.sendAsync(append, HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> {
                    appendStatuses.merge(failure != null ? -1 : answer.statusCode(), 1, Integer::sum);
                    if (failure == null && answer.statusCode() == 200) {
                        arrived.accept(id + ":" + longField(answer.body(), "segment_count"), false);
                    }
                });
            }, offset, 2_000_000_000L, TimeUnit.NANOSECONDS);
        }
        Thread.sleep(seconds * 1000L + 3000);
        measuring.set(false);
        schedule.shutdownNow();
        connections.forEach(connection -> connection.cancel(true));
        streamThreads.shutdownNow();
        return new StreamRun(latency, appendStatuses, lost);
    }

    static void footprint() throws IOException {
        long rssKib = rssKib();
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
        benchUser = user;
        String created = send("POST", "/api/admin/users/" + user + "/personal_api_keys",
                "{\"label\": \"bench\", \"scopes\": [\"*\"]}", admin).body();
        Matcher value = Pattern.compile("\"value\":\"([^\"]+)\"").matcher(created);
        if (!value.find()) {
            throw new IllegalStateException("no key: " + created);
        }
        return value.group(1);
    }

    static long benchUser;

    /** A new project of the bench's user: the recordings path of it. */
    static String newProject() throws Exception {
        String admin = options.get("admin-token");
        long project = longField(send("POST", "/api/admin/projects", "{\"name\": \"bench search\"}", admin).body(),
                "id");
        send("PUT", "/api/admin/projects/" + project + "/members/" + benchUser, null, admin);
        return "/api/projects/" + project + "/desktop_recordings/";
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

    /**
     * Recordings whose transcripts already hold the given number of segments (the shape of segmentsJson), written
     * by the database's own replace function rather than appended over HTTP: thousands of 10,000-segment transcripts
     * would otherwise take longer than the benchmark.
     */
    static List<String> prefilledRecordings(int count, int segments) throws Exception {
        List<String> ids = createRecordings(count);
        String jdbc = options.get("jdbc");
        try (Connection connection = DriverManager.getConnection(jdbc, dbUser(), dbPassword());
                PreparedStatement fill = connection.prepareStatement("""
                        SELECT replace_transcript_segments(r.id, s.segments)
                        FROM unnest(string_to_array(?, ',')::uuid[]) AS r(id),
                             (SELECT jsonb_agg(jsonb_build_object('timestamp', g * 100,
                                         'speaker', 'Speaker ' || g % 4, 'text', ? || ' ' || g,
                                         'confidence', 0.93, 'is_final', true) ORDER BY g) AS segments
                              FROM generate_series(0, ? - 1) AS g) AS s""")) {
            for (int start = 0; start < ids.size(); start += 20) {
                fill.setString(1, String.join(",", ids.subList(start, Math.min(ids.size(), start + 20))));
                fill.setString(2, TEXT_150);
                fill.setInt(3, segments);
                fill.executeQuery().close();
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

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void record(String part, Map<String, Object> figures) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("part", part);
        line.put("date", Instant.now().toString());
        line.put("cores", Runtime.getRuntime().availableProcessors());
        line.put("cpu_model", cpuModel());
        line.put("build", options.getOrDefault("build", "unknown"));
        line.put("jvm", options.getOrDefault("jvm", "unknown").strip());
        line.put("jvm_flags", options.getOrDefault("jvm-flags", ""));
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
        StringBuilder out = new StringBuilder("\"");
        for (char c : String.valueOf(value).toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
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
