package dev.recordings.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.MisbehavingReceiver;
import dev.recordings.support.WebhookReceiver;
import dev.recordings.support.WebhookReceiver.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What a receiver, a tenant or a stuck event can cost the webhooks: a delivery attempt and nothing more (the test
 * profile's attempt deadline is 2 s). Each test here failed before the limit it checks.
 */
@QuarkusTest
class WebhookLimitsTest {

    private static final Duration SOON = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    private Api.Tenant tenant;
    private WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        tenant = Api.tenant("*");
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private String endpoints() {
        return tenant.webhookEndpoints();
    }

    private String endpoint(String url) {
        return tenant.request().body(Map.of("url", url)).post(endpoints()).then().statusCode(201).extract()
                .path("id");
    }

    private String ping(String endpoint) {
        return tenant.request().post(endpoints() + endpoint + "/test/").then().statusCode(202).extract()
                .path("delivery_id");
    }

    private Row delivery(String id) {
        return pool.preparedQuery("SELECT status, attempts, last_status_code, last_error, claimed_until, "
                + "claim_token FROM webhook_deliveries WHERE id = $1").execute(Tuple.of(UUID.fromString(id)))
                .await().indefinitely().iterator().next();
    }

    @Test
    void aReceiverWhoseAnswerNeverEndsCostsOneFailedAttemptAndTheApiKeepsAnswering() throws Exception {
        try (MisbehavingReceiver endless = new MisbehavingReceiver(MisbehavingReceiver.Behaviour.ENDLESS_BODY)) {
            String ping = ping(endpoint(endless.url()));
            await().atMost(SOON).until(() -> delivery(ping).getInteger("attempts") >= 1);
            Row failed = delivery(ping);
            assertEquals("failed", failed.getString("status"));
            assertTrue(failed.getString("last_error").contains("longer than"), failed.getString("last_error"));
            tenant.request().get(tenant.recordings()).then().statusCode(200);
        }
    }

    @Test
    void aReceiverThatKeepsSendingSlowlyIsCutAtTheAttemptsDeadline() throws Exception {
        try (MisbehavingReceiver drip = new MisbehavingReceiver(MisbehavingReceiver.Behaviour.DRIP)) {
            String ping = ping(endpoint(drip.url()));
            long started = System.nanoTime();
            await().atMost(SOON).until(() -> delivery(ping).getInteger("attempts") >= 1);
            long took = (System.nanoTime() - started) / 1_000_000;
            Row failed = delivery(ping);
            assertEquals("failed", failed.getString("status"));
            assertTrue(failed.getString("last_error").startsWith("no complete answer within"),
                    failed.getString("last_error"));
            assertTrue(took < 8_000, "cut at the 2 s deadline, not left to run: " + took + " ms");
        }
    }

    @Test
    void retryDoesNotClearAClaimInFlight() {
        // answered after the 2 s deadline: the attempt is in flight for 2 s, then fails
        receiver.answer(new Answer(204, Map.of(), Duration.ofSeconds(4)));
        String ping = ping(endpoint(receiver.url()));
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).until(() -> receiver.ofType("ping").size() == 1);
        tenant.request().post(endpoints() + endpointOf(ping) + "/deliveries/" + ping + "/retry/").then()
                .statusCode(202);
        assertNotNull(delivery(ping).getValue("claimed_until"), "the attempt in flight keeps its claim");
        // a cleared claim is taken again on the next tick (within 1 s), while the first attempt is still in flight
        await().pollDelay(Duration.ofMillis(1400)).atMost(SOON).until(() -> true);
        assertEquals(1, receiver.ofType("ping").size(), "no second attempt beside the one in flight");
    }

    @Test
    void anOutcomeIsWrittenOnlyByTheReplicaThatStillHoldsTheClaim() {
        // answered well within the 2 s deadline: the attempt succeeds, after its claim changed hands
        receiver.answer(new Answer(204, Map.of(), Duration.ofMillis(1200)));
        String ping = ping(endpoint(receiver.url()));
        await().atMost(SOON).pollInterval(Duration.ofMillis(50)).until(() -> receiver.ofType("ping").size() == 1);
        // the claim lapsed and another replica took it: this attempt's success is no longer this replica's to write
        pool.preparedQuery("UPDATE webhook_deliveries SET claim_token = $2 WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(ping), UUID.randomUUID())).await().indefinitely();
        await().pollDelay(Duration.ofMillis(2500)).atMost(SOON).until(() -> true);
        Row row = delivery(ping);
        assertEquals("pending", row.getString("status"));
        assertEquals(0, row.getInteger("attempts"));
    }

    @Test
    void aRotatedOutSecretIsClearedAfterItsDay() {
        String endpoint = endpoint(receiver.url());
        tenant.request().post(endpoints() + endpoint + "/rotate_secret/").then().statusCode(200);
        pool.preparedQuery("UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 minute' "
                + "WHERE id = $1").execute(Tuple.of(UUID.fromString(endpoint))).await().indefinitely();
        Api.admin().post("/api/admin/retention/run").then().statusCode(200);
        Row row = pool.preparedQuery("SELECT previous_secret, previous_secret_until FROM webhook_endpoints "
                + "WHERE id = $1").execute(Tuple.of(UUID.fromString(endpoint))).await().indefinitely().iterator()
                .next();
        assertNull(row.getString("previous_secret"));
        assertNull(row.getValue("previous_secret_until"));
    }

    @Test
    void aUrlWithAUserNameOrPasswordIsRefused() {
        JsonPath error = tenant.request().body(Map.of("url", receiver.url().replace("http://", "http://me:pw@")))
                .post(endpoints()).then().statusCode(400).extract().jsonPath();
        assertEquals("invalid_input", error.getString("code"));
        assertEquals("url", error.getString("attr"));
        assertTrue(error.getString("detail").contains("user name"), error.getString("detail"));
    }

    @Test
    void twentyParallelCreatesLeaveExactlyTenEndpoints() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int index = 0; index < 20; index++) {
                Callable<Integer> create = () -> {
                    start.await();
                    return tenant.request().body(Map.of("url", receiver.url())).post(endpoints()).statusCode();
                };
                statuses.add(clients.submit(create));
            }
            start.countDown();
            int created = 0;
            for (Future<Integer> status : statuses) {
                int code = status.get();
                assertTrue(code == 201 || code == 400, "status " + code);
                created += code == 201 ? 1 : 0;
            }
            assertEquals(10, created);
            tenant.request().get(endpoints()).then().statusCode(200).body("count", org.hamcrest.Matchers.is(10));
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anEventThatCannotBeRenderedIsSetAsideAndTheRestFlowOn() {
        tenant.request().body(Map.of("url", receiver.url(), "events", List.of("recording.created")))
                .post(endpoints()).then().statusCode(201);
        // a change whose row no longer reads as a recording (as after a bad manual edit or a type change)
        long poisoned = pool.preparedQuery("INSERT INTO webhook_events (team_id, recording_id, operation, new_row) "
                + "VALUES ($1, gen_random_uuid(), 'INSERT', '{\"id\": \"not a uuid\"}') RETURNING id")
                .execute(Tuple.of(tenant.projectId())).await().indefinitely().iterator().next().getLong(0);
        String recording = tenant.createRecording();
        await().atMost(SOON).until(() -> receiver.ofType("recording.created").size() == 1);
        assertEquals(recording, receiver.ofType("recording.created").get(0).json().getString("data.id"));
        // it failed on its own in the dispatch that delivered the rest; after two more it is set aside
        await().atMost(SOON).until(() -> pool.preparedQuery("SELECT set_aside_at FROM webhook_events WHERE id = $1")
                .execute(Tuple.of(poisoned)).await().indefinitely().iterator().next().getValue(0) != null);
        Row aside = pool.preparedQuery("SELECT failures, set_aside_reason FROM webhook_events WHERE id = $1")
                .execute(Tuple.of(poisoned)).await().indefinitely().iterator().next();
        assertEquals(WebhookDispatcher.STRIKES, aside.getInteger("failures"));
        assertNotNull(aside.getString("set_aside_reason"));
        String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
        assertTrue(metrics.contains("recordings_webhooks_events_set_aside_total"), "a metric counts it");
        assertTrue(metrics.contains("recordings_webhooks_outbox_events"), "the outbox's depth is a metric");
        assertTrue(metrics.contains("recordings_webhooks_outbox_oldest_seconds"), "and its oldest event's age");
        pool.preparedQuery("DELETE FROM webhook_events WHERE id = $1").execute(Tuple.of(poisoned)).await()
                .indefinitely();
    }

    @Test
    void aRecordingTooLargeForOneEventIsCutToSixtyFourKilobytesAndSaysSo() {
        tenant.request().body(Map.of("url", receiver.url(), "events", List.of("recording.created")))
                .post(endpoints()).then().statusCode(201);
        List<String> participants = new ArrayList<>();
        for (int index = 0; index < 1000; index++) {
            participants.add(index + " " + "p".repeat(250));
        }
        tenant.request().body(Map.of("participants", participants, "notes", "n".repeat(200_000)))
                .post(tenant.recordings()).then().statusCode(201);
        await().atMost(SOON).until(() -> receiver.ofType("recording.created").size() == 1);
        WebhookReceiver.Received created = receiver.ofType("recording.created").get(0);
        assertTrue(created.body().getBytes(StandardCharsets.UTF_8).length <= 64 * 1024,
                created.body().length() + " bytes");
        assertTrue(created.json().getBoolean("data.truncated"));
        assertTrue(created.json().getString("data.notes").endsWith(" [cut]"));
        assertTrue(created.json().getList("data.participants").size() > 10, "the participants share the room");
    }

    @Test
    void aTranscriptAnnouncementWithManyRenamesStaysWithinSixtyFourKilobytes() {
        tenant.request().body(Map.of("url", receiver.url(), "events", List.of("transcript.updated")))
                .post(endpoints()).then().statusCode(201);
        String recording = tenant.createRecording();
        tenant.appendMinimal(recording, "[{\"speaker\": \"s0\", \"text\": \"hello\"}]").statusCode(200);
        await().atMost(SOON).until(() -> receiver.ofType("transcript.updated").size() == 1);
        String from = "s0";
        for (int rename = 1; rename <= 400; rename++) {
            String to = rename + "-" + "r".repeat(240);
            tenant.request().body(Map.of("from", from, "to", to))
                    .post(tenant.recordings() + recording + "/speakers/").then().statusCode(200);
            from = to;
        }
        // the renames since the last announcement come in the next (each about 500 bytes), one every 2 s at most
        await().atMost(SOON).until(() -> receiver.ofType("transcript.updated").size() >= 2);
        await().pollDelay(Duration.ofSeconds(3)).atMost(SOON).until(() -> true);
        List<WebhookReceiver.Received> announcements = receiver.ofType("transcript.updated");
        boolean cut = false;
        for (WebhookReceiver.Received announcement : announcements.subList(1, announcements.size())) {
            assertTrue(announcement.body().getBytes(StandardCharsets.UTF_8).length <= 64 * 1024,
                    announcement.body().length() + " bytes");
            cut |= announcement.json().getBoolean("data.truncated");
        }
        assertTrue(cut, "an announcement of hundreds of renames says it was cut");
    }

    private String endpointOf(String delivery) {
        return pool.preparedQuery("SELECT endpoint_id FROM webhook_deliveries WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(delivery))).await().indefinitely().iterator().next()
                .getUUID(0).toString();
    }
}
