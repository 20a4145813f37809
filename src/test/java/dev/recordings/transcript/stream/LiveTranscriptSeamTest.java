package dev.recordings.transcript.stream;

import static org.awaitility.Awaitility.await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.EventStream;
import dev.recordings.transcript.TranscriptStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The seam between a stream's catch-up and its live events, under 30 concurrent appenders: streams open at random
 * moments while batches commit, from random positions, and each must end up with exactly the stored transcript
 * from its start, every segment once and in order (each event starting where the one before ended).
 */
@QuarkusTest
class LiveTranscriptSeamTest {

    private static final int WRITERS = 30;
    private static final int BATCHES = 8;
    private static final int PER_BATCH = 3;
    private static final int STREAMS = 16;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    @Test
    void everySegmentArrivesOnceAndInOrderWhileThirtyWritersAppend() throws Exception {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        String url = base + tenant.recordings().substring(1) + recording + "/transcript/stream/";
        int total = WRITERS * BATCHES * PER_BATCH;
        AtomicInteger acknowledged = new AtomicInteger();

        ExecutorService threads = Executors.newFixedThreadPool(WRITERS + STREAMS);
        CountDownLatch atTail = new CountDownLatch(STREAMS);
        try {
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int writer = 0; writer < WRITERS; writer++) {
                int w = writer;
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int batch = 0; batch < BATCHES; batch++) {
                        StringBuilder segments = new StringBuilder("[");
                        for (int s = 0; s < PER_BATCH; s++) {
                            segments.append(s == 0 ? "" : ",").append("{\"text\": \"w").append(w).append('-')
                                    .append(batch).append('-').append(s).append("\"}");
                        }
                        tenant.request().header("Prefer", "return=minimal")
                                .body("{\"segments\": " + segments + "]}")
                                .post(tenant.recordings() + recording + "/append_segments/").then().statusCode(200);
                        acknowledged.addAndGet(PER_BATCH);
                    }
                }, threads));
            }
            List<CompletableFuture<Watched>> streams = new ArrayList<>();
            for (int stream = 0; stream < STREAMS; stream++) {
                streams.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        // open while the appends run, many close to their end, when few announcements are to come
                        long openAt = (long) total * (50 + ThreadLocalRandom.current().nextInt(50)) / 100;
                        while (acknowledged.get() < openAt) {
                            Thread.sleep(2);
                        }
                        int after = ThreadLocalRandom.current().nextInt(acknowledged.get() + 1);
                        return watch(url, tenant.key(), after, total, atTail);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
            assertTrue(atTail.await(2, TimeUnit.MINUTES), "every stream reached the tail");
            tenant.request().body("{\"status\": \"uploading\"}").patch(tenant.recordings() + recording + "/")
                    .then().statusCode(200);

            List<String> stored = tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200)
                    .extract().jsonPath().getList("transcript_segments.text");
            assertEquals(total, stored.size());
            for (CompletableFuture<Watched> future : streams) {
                Watched watched = future.get();
                assertEquals(stored.subList(watched.after(), total), watched.texts(),
                        "the stream from " + watched.after() + " holds the stored transcript from there, once");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anAppendCommittingAsTheStreamOpensIsNeverMissed() throws Exception {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        String url = base + tenant.recordings().substring(1) + recording + "/transcript/stream/";
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 30; round++) {
                int count = round;
                // the append is the last change: no later announcement would bring a missed one along
                CountDownLatch atTail = new CountDownLatch(1);
                CompletableFuture<Watched> stream = watching(url, tenant.key(), count, count + 1, atTail, threads);
                Thread.sleep(ThreadLocalRandom.current().nextInt(15));
                tenant.request().header("Prefer", "return=minimal")
                        .body("{\"segments\": [{\"text\": \"r" + round + "\"}]}")
                        .post(tenant.recordings() + recording + "/append_segments/").then().statusCode(200);
                assertTrue(atTail.await(30, TimeUnit.SECONDS), "the stream reached the tail");
                tenant.request().body("{\"status\": \"" + (round % 2 == 0 ? "uploading" : "recording") + "\"}")
                        .patch(tenant.recordings() + recording + "/").then().statusCode(200);
                assertEquals(List.of("r" + round), stream.get().texts());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * An append not yet committed when a stream opens: the stream's first read cannot see it, and the stream
     * sends it once it commits, exactly once. The append is run here as the service runs it, in a transaction held
     * open on purpose.
     */
    @Test
    void anAppendNotYetCommittedWhenTheStreamOpensFollowsItsFirstRead() throws Exception {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        String url = base + tenant.recordings().substring(1) + recording + "/transcript/stream/";
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try (EventStream stream = EventStream.open(url, tenant.key())) {
            assertEquals(200, stream.status, stream.body);
            Transaction append = connection.begin().await().indefinitely();
            connection.preparedQuery(TranscriptStore.APPEND).execute(Tuple.of(UUID.fromString(recording),
                    tenant.projectId(), "[{\"text\": \"held open\", \"speaker\": null, \"is_final\": null, "
                            + "\"timestamp\": null, \"confidence\": null}]", false)).await().indefinitely();
            EventStream.Event first = stream.next();
            assertEquals(List.of(), first.json().getList("segments"), "the first read cannot see it");
            append.commit().await().indefinitely();
            EventStream.Event next = stream.next();
            assertEquals(0, next.json().getInt("start"));
            assertEquals(List.of("held open"), next.json().getList("segments.text"));
            assertEquals("1", next.id());
        } finally {
            connection.close().await().indefinitely();
        }
    }

    private static CompletableFuture<Watched> watching(String url, String key, int after, int total,
            CountDownLatch atTail, Executor threads) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return watch(url, key, after, total, atTail);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    private record Watched(int after, List<String> texts) {
    }

    /**
     * Reads segments events until the stream holds the whole transcript, checking each starts where it should; then
     * counts {@code atTail} down and reads on to the status event of the change the test makes once every stream
     * is there: a change logged after every append, so a segments event sent after the tail (a duplicate) would come
     * before it.
     */
    private static Watched watch(String url, String key, int after, int total, CountDownLatch atTail)
            throws Exception {
        try (EventStream stream = EventStream.open(url + "?after=" + after, key)) {
            assertEquals(200, stream.status, stream.body);
            List<String> texts = new ArrayList<>();
            int position = after;
            Instant deadline = Instant.now().plus(Duration.ofSeconds(total < 10 ? 5 : 60));
            while (position < total) {
                EventStream.Event event = stream.poll(Duration.between(Instant.now(), deadline));
                if (event == null) {
                    throw new AssertionError("the stream from " + after + " stopped at " + position + " of " + total);
                }
                assertEquals("segments", event.event());
                assertEquals(position, event.json().getInt("start"), "each event starts where the last one ended");
                List<String> segments = event.json().getList("segments.text");
                texts.addAll(segments);
                position += segments.size();
                assertEquals(Integer.toString(position), event.id());
            }
            atTail.countDown();
            EventStream.Event last = stream.poll(Duration.between(Instant.now(), deadline.plusSeconds(10)));
            assertEquals("status", last == null ? "nothing" : last.event(),
                    "after the tail, the next event is the status change, not a segment sent again");
            return new Watched(after, texts);
        }
    }
}
