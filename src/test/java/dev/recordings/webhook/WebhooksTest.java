package dev.recordings.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

import dev.recordings.support.Api;
import dev.recordings.support.WebhookReceiver;
import dev.recordings.support.WebhookReceiver.Answer;
import dev.recordings.support.WebhookReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Outbound webhooks through the API and a real receiver: every event once, signed (checked with the Standard
 * Webhooks library, not the service's code), retried on the schedule (seconds in tests), and the endpoint rules.
 */
@QuarkusTest
class WebhooksTest {

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

    /** Creates an endpoint for the receiver; answers its id and secret. */
    private String[] endpoint(String body) {
        JsonPath created = tenant.request().body(body).post(endpoints()).then().statusCode(201).extract()
                .jsonPath();
        return new String[] { created.getString("id"), created.getString("secret") };
    }

    private String[] endpoint() {
        return endpoint("{\"url\": \"" + receiver.url() + "\"}");
    }

    private static void verified(String secret, Received request) throws Exception {
        new Webhook(secret).verify(request.body(), request.headers());
    }

    /**
     * Waits until nothing is left to send for the project's changes so far: the outbox of recording changes is
     * empty, every transcript is announced up to its recording's count and change number, and no delivery to the
     * endpoint is pending. After that, what the receiver has is all it will get for them, so a test can count
     * without sleeping.
     */
    private void awaitSettled(String endpoint) {
        await().atMost(SOON).pollInterval(Duration.ofMillis(100)).until(() -> pool.preparedQuery("""
                SELECT (SELECT count(*) FROM webhook_events e WHERE e.team_id = $1)
                     + (SELECT count(*) FROM webhook_transcripts t JOIN desktop_recordings r ON r.id = t.recording_id
                        WHERE t.team_id = $1 AND (r.segment_count <> t.announced_count
                                                  OR r.change_seq <> t.announced_seq))
                     + (SELECT count(*) FROM webhook_deliveries d
                        WHERE d.endpoint_id = $2 AND d.status IN ('pending', 'failed'))""")
                .execute(Tuple.of(tenant.projectId(), UUID.fromString(endpoint))).await().indefinitely()
                .iterator().next().getLong(0) == 0);
    }

    private List<Received> awaitReceived(String type, int count) {
        await().atMost(SOON).pollInterval(Duration.ofMillis(100)).until(() -> receiver.ofType(type).size() >= count);
        return receiver.ofType(type);
    }

    @Test
    void everyEventArrivesOnceSignedAndAsTheContractWritesIt() throws Exception {
        String[] endpoint = endpoint();
        String recording = tenant.createRecording("{\"meeting_title\": \"Kick-off\", \"platform\": \"zoom\"}");
        Received created = awaitReceived("recording.created", 1).get(0);
        verified(endpoint[1], created);
        assertEquals(recording, created.json().getString("data.id"));
        assertEquals(tenant.projectId(), created.json().getLong("data.project_id"));
        assertEquals("Kick-off", created.json().getString("data.meeting_title"));
        assertNull(created.json().get("data.transcript_segments"));
        assertTrue(created.json().getString("timestamp").endsWith("Z"));
        assertEquals("application/json", created.header("content-type"));

        tenant.request().body("{\"meeting_title\": \"Kick-off, v2\", \"status\": \"uploading\"}")
                .patch(tenant.recordings() + recording + "/").then().statusCode(200);
        Received status = awaitReceived("recording.status_changed", 1).get(0);
        verified(endpoint[1], status);
        assertEquals("uploading", status.json().getString("data.status"));
        assertEquals("recording", status.json().getString("data.previous_status"));
        Received updated = awaitReceived("recording.updated", 1).get(0);
        assertEquals(List.of("meeting_title"), updated.json().getList("data.changed"));
        assertEquals("Kick-off, v2", updated.json().getString("data.meeting_title"));

        tenant.appendMinimal(recording, "[{\"speaker\": \"Ann\", \"text\": \"hello\"}]").statusCode(200);
        Received transcript = awaitReceived("transcript.updated", 1).get(0);
        verified(endpoint[1], transcript);
        assertEquals(0, transcript.json().getInt("data.start"));
        assertEquals(List.of("hello"), transcript.json().getList("data.segments.text"));
        assertEquals(1, transcript.json().getInt("data.segment_count"));
        assertFalse(transcript.json().getBoolean("data.truncated"));

        tenant.request().body("{\"from\": \"Ann\", \"to\": \"Ann Lee\"}")
                .post(tenant.recordings() + recording + "/speakers/").then().statusCode(200);
        Received renamed = awaitReceived("transcript.updated", 2).get(1);
        assertEquals(List.of(Map.of("from", "Ann", "to", "Ann Lee")), renamed.json().getList("data.renamed"));
        assertEquals(List.of(), renamed.json().getList("data.segments"));

        tenant.request().delete(tenant.recordings() + recording + "/").then().statusCode(204);
        Received deleted = awaitReceived("recording.deleted", 1).get(0);
        assertEquals(Map.of("id", recording, "project_id", (int) tenant.projectId()), deleted.json().getMap("data"));

        String ping = tenant.request().post(endpoints() + endpoint[0] + "/test/").then().statusCode(202).extract()
                .path("delivery_id");
        Received pinged = awaitReceived("ping", 1).get(0);
        assertEquals(ping, pinged.header("webhook-id"));
        assertEquals(endpoint[0], pinged.json().getString("data.endpoint_id"));

        // once each, and the log says so
        awaitSettled(endpoint[0]);
        for (String type : List.of("recording.created", "recording.status_changed", "recording.updated",
                "recording.deleted", "ping")) {
            assertEquals(1, receiver.ofType(type).size(), type);
        }
        assertEquals(2, receiver.ofType("transcript.updated").size());
        JsonPath log = tenant.request().get(endpoints() + endpoint[0] + "/deliveries/").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(7, log.getInt("count"));
        assertEquals(List.of("succeeded"), log.getList("results.status").stream().distinct().toList());
        assertEquals(ping, log.getString("results[0].id"));
        assertEquals(receiver.received().size(), receiver.received().stream().map(r -> r.header("webhook-id"))
                .distinct().count(), "each delivery once");
    }

    /** Deletions the API does not make announce themselves too; and the sweep prunes the delivery log. */
    @Test
    void retentionAndAProjectsDeletionAnnounceTheirDeletionsAndTheLogIsPruned() {
        String[] endpoint = endpoint("{\"url\": \"" + receiver.url() + "\", \"events\": [\"recording.deleted\"]}");
        String old = tenant.createRecording("{\"started_at\": \"2020-01-01T00:00:00Z\"}");
        String kept = tenant.createRecording();
        Api.admin().body("{\"retention_days\": 30}").patch("/api/admin/projects/" + tenant.projectId())
                .then().statusCode(200);
        Api.admin().post("/api/admin/retention/run").then().statusCode(200);
        assertEquals(old, awaitReceived("recording.deleted", 1).get(0).json().getString("data.id"));

        pool.preparedQuery("DELETE FROM projects WHERE id = $1").execute(Tuple.of(tenant.projectId()))
                .await().indefinitely();
        assertEquals(kept, awaitReceived("recording.deleted", 2).get(1).json().getString("data.id"));

        pool.preparedQuery("UPDATE webhook_deliveries SET created_at = now() - interval '8 days' "
                + "WHERE endpoint_id = $1").execute(Tuple.of(UUID.fromString(endpoint[0]))).await().indefinitely();
        Api.admin().post("/api/admin/retention/run").then().statusCode(200);
        long left = pool.preparedQuery("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1")
                .execute(Tuple.of(UUID.fromString(endpoint[0]))).await().indefinitely().iterator().next().getLong(0);
        assertEquals(0, left, "the log is kept 7 days");
        long endpoints = pool.preparedQuery("SELECT count(*) FROM webhook_endpoints WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(endpoint[0]))).await().indefinitely().iterator().next().getLong(0);
        assertEquals(0, endpoints, "an endpoint of a deleted project goes once it has nothing left to deliver");
    }

    /**
     * A PATCH whose transaction fails at its commit, after its UPDATE ran (and with it the trigger that records the
     * change for webhooks): the API answers 500, and nothing is sent for it. A deferred constraint trigger, made here
     * for one title, is what fails the commit.
     */
    @Test
    void aChangeThatRolledBackSendsNothing() {
        pool.query("""
                CREATE OR REPLACE FUNCTION webhooks_test_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'this change is doomed';
                END
                $$;
                DROP TRIGGER IF EXISTS webhooks_test_doomed ON desktop_recordings;
                CREATE CONSTRAINT TRIGGER webhooks_test_doomed AFTER UPDATE ON desktop_recordings
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.meeting_title = 'doomed')
                    EXECUTE FUNCTION webhooks_test_doomed();""").execute().await().indefinitely();
        try {
            String[] endpoint = endpoint("{\"url\": \"" + receiver.url() + "\", \"events\": [\"recording.updated\"]}");
            String recording = tenant.createRecording("{\"meeting_title\": \"before\"}");
            tenant.request().body("{\"meeting_title\": \"doomed\"}").patch(tenant.recordings() + recording + "/")
                    .then().statusCode(500);
            tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200)
                    .body("meeting_title", org.hamcrest.Matchers.is("before"));
            tenant.request().body("{\"meeting_title\": \"committed\"}").patch(tenant.recordings() + recording + "/")
                    .then().statusCode(200);
            awaitSettled(endpoint[0]);
            assertEquals(List.of("committed"), receiver.received().stream()
                    .map(request -> request.json().getString("data.meeting_title")).toList(),
                    "only the committed change, and only the type subscribed");
        } finally {
            pool.query("DROP TRIGGER webhooks_test_doomed ON desktop_recordings").execute().await().indefinitely();
        }
    }

    @Test
    void fiftyAppendsComeAsAFewAnnouncementsHoldingExactlyTheirSegments() {
        String endpoint = endpoint("{\"url\": \"" + receiver.url() + "\", \"events\": [\"transcript.updated\"]}")[0];
        String recording = tenant.createRecording();
        List<String> appended = new ArrayList<>();
        for (int batch = 0; batch < 50; batch++) {
            tenant.appendMinimal(recording, "[{\"text\": \"b" + batch + "a\"}, {\"text\": \"b" + batch + "b\"}]")
                    .statusCode(200);
            appended.add("b" + batch + "a");
            appended.add("b" + batch + "b");
        }
        awaitSettled(endpoint);
        List<Received> announcements = receiver.ofType("transcript.updated");
        assertTrue(announcements.size() <= 5, announcements.size() + " announcements for 50 appends");
        List<String> texts = new ArrayList<>();
        int next = 0;
        for (Received announcement : announcements) {
            assertEquals(next, announcement.json().getInt("data.start"), "each starts where the last ended");
            List<String> segments = announcement.json().getList("data.segments.text");
            texts.addAll(segments);
            next += segments.size();
        }
        assertEquals(appended, texts);
    }

    @Test
    void aFailedDeliveryIsRetriedOnTheScheduleUntilItSucceeds() {
        receiver.answer(Answer.status(500), Answer.status(500));
        String[] endpoint = endpoint();
        String ping = tenant.request().post(endpoints() + endpoint[0] + "/test/").then().statusCode(202).extract()
                .path("delivery_id");
        await().atMost(SOON).until(() -> receiver.ofType("ping").size() == 3);
        List<Received> attempts = receiver.ofType("ping");
        assertEquals(List.of(ping, ping, ping), attempts.stream().map(r -> r.header("webhook-id")).toList());
        for (int index = 1; index < 3; index++) {
            long gap = Duration.between(attempts.get(index - 1).at(), attempts.get(index).at()).toMillis();
            assertTrue(gap >= 850, "retried after the schedule's 1 s (with jitter): " + gap + " ms");
        }
        await().atMost(SOON).until(() -> "succeeded".equals(delivery(endpoint[0]).getString("status")));
        JsonPath delivery = delivery(endpoint[0]);
        assertEquals(3, delivery.getInt("attempts"));
        assertEquals(204, delivery.getInt("last_status_code"));
        assertNull(delivery.get("next_attempt_at"));
    }

    @Test
    void retryAfterIsRespectedAndAfterTheScheduleADeliveryIsAbandoned() {
        receiver.answer(new Answer(503, Map.of("Retry-After", "3"), Duration.ZERO), Answer.status(500),
                Answer.status(500), Answer.status(500));
        String[] endpoint = endpoint();
        tenant.request().post(endpoints() + endpoint[0] + "/test/").then().statusCode(202);
        await().atMost(SOON).until(() -> receiver.ofType("ping").size() >= 2);
        List<Received> attempts = receiver.ofType("ping");
        long gap = Duration.between(attempts.get(0).at(), attempts.get(1).at()).toMillis();
        assertTrue(gap >= 2900, "not before Retry-After's 3 s: " + gap + " ms");
        await().atMost(SOON).until(() -> "abandoned".equals(delivery(endpoint[0]).getString("status")));
        assertEquals(4, receiver.ofType("ping").size(), "one attempt and the schedule's three retries");
        assertEquals("the receiver answered 500", delivery(endpoint[0]).getString("last_error"));
        tenant.request().get(endpoints() + endpoint[0] + "/deliveries/?status=abandoned").then().statusCode(200)
                .body("count", org.hamcrest.Matchers.is(1));

        String id = delivery(endpoint[0]).getString("id");
        tenant.request().post(endpoints() + endpoint[0] + "/deliveries/" + id + "/retry/").then().statusCode(202);
        await().atMost(SOON).until(() -> "succeeded".equals(delivery(endpoint[0]).getString("status")));
        assertEquals(id, receiver.ofType("ping").get(4).header("webhook-id"), "the same webhook-id");
    }

    @Test
    void aTimeoutOrARedirectIsAFailureAndGoneDisablesTheEndpoint() {
        receiver.answer(new Answer(204, Map.of(), Duration.ofSeconds(4)), new Answer(302,
                Map.of("Location", "http://127.0.0.1:1/"), Duration.ZERO), Answer.status(410));
        String[] endpoint = endpoint();
        tenant.request().post(endpoints() + endpoint[0] + "/test/").then().statusCode(202);
        await().atMost(SOON).until(() -> delivery(endpoint[0]).getInt("attempts") >= 1);
        assertEquals("failed", delivery(endpoint[0]).getString("status"));
        assertNull(delivery(endpoint[0]).get("last_status_code"), "no answer in time");
        await().atMost(SOON).until(() -> delivery(endpoint[0]).getInt("attempts") >= 2);
        assertEquals(302, delivery(endpoint[0]).getInt("last_status_code"));
        assertEquals("redirects are not followed", delivery(endpoint[0]).getString("last_error"));
        await().atMost(SOON).until(() -> "abandoned".equals(delivery(endpoint[0]).getString("status")));
        JsonPath gone = tenant.request().get(endpoints() + endpoint[0] + "/").then().statusCode(200).extract()
                .jsonPath();
        assertFalse(gone.getBoolean("enabled"));
        assertEquals("gone", gone.getString("disabled_reason"));
        tenant.request().body("{\"enabled\": true}").patch(endpoints() + endpoint[0] + "/").then().statusCode(200)
                .body("disabled_reason", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneForADay() throws Exception {
        String[] endpoint = endpoint();
        String rotated = tenant.request().post(endpoints() + endpoint[0] + "/rotate_secret/").then().statusCode(200)
                .extract().path("secret");
        assertTrue(rotated.startsWith("whsec_") && !rotated.equals(endpoint[1]));
        tenant.request().post(endpoints() + endpoint[0] + "/test/").then().statusCode(202);
        Received ping = awaitReceived("ping", 1).get(0);
        assertEquals(2, ping.header("webhook-signature").split(" ").length);
        verified(rotated, ping);
        verified(endpoint[1], ping);
    }

    @Test
    void endpointsFollowTheirRules() {
        String[] endpoint = endpoint("{\"url\": \"" + receiver.url() + "\", \"description\": \"CRM\", "
                + "\"events\": [\"recording.created\", \"transcript.updated\"]}");
        assertTrue(endpoint[1].startsWith("whsec_"));
        JsonPath one = tenant.request().get(endpoints() + endpoint[0] + "/").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of("id", "url", "description", "events", "enabled", "disabled_reason", "created_at",
                "updated_at"), new ArrayList<>(one.getMap("").keySet()));
        assertEquals(List.of("recording.created", "transcript.updated"), one.getList("events"));
        tenant.request().get(endpoints()).then().statusCode(200).body("count", org.hamcrest.Matchers.is(1))
                .body("results[0].secret", org.hamcrest.Matchers.nullValue());
        tenant.request().body("{\"enabled\": false}").patch(endpoints() + endpoint[0] + "/").then().statusCode(200)
                .body("disabled_reason", org.hamcrest.Matchers.is("manual"));

        refused("{}", "required", "url");
        refused("{\"url\": \"ftp://example.com/\"}", "invalid_input", "url");
        refused("{\"url\": \"" + receiver.url() + "\", \"events\": []}", "empty", "events");
        refused("{\"url\": \"" + receiver.url() + "\", \"events\": [\"recording.exploded\"]}", "invalid_choice",
                "events__0");
        refused("{\"url\": \"" + receiver.url() + "\", \"enabled\": \"yes\"}", "invalid_input", "enabled");
        refused("{\"url\": \"" + receiver.url() + "\", \"description\": \"" + "d".repeat(256) + "\"}",
                "max_length", "description");
        for (int count = 1; count < 10; count++) {
            endpoint();
        }
        refused("{\"url\": \"" + receiver.url() + "\"}", "max_length", null);

        Api.Tenant recordingsOnly = Api.writer();
        Api.as(recordingsOnly.key()).get("/api/projects/" + recordingsOnly.projectId() + "/webhook_endpoints/")
                .then().statusCode(403).body("code", org.hamcrest.Matchers.is("permission_denied"));
        tenant.request().delete(endpoints() + endpoint[0] + "/").then().statusCode(204);
        tenant.request().get(endpoints() + endpoint[0] + "/").then().statusCode(404);
        tenant.request().get(endpoints() + "not-a-uuid/").then().statusCode(404);
    }

    private void refused(String body, String code, String attr) {
        JsonPath error = tenant.request().body(body).post(endpoints()).then().statusCode(400).extract().jsonPath();
        assertEquals(code, error.getString("code"), error.prettify());
        assertEquals(attr, error.getString("attr"));
    }

    private JsonPath delivery(String endpoint) {
        return JsonPath.from(tenant.request().get(endpoints() + endpoint + "/deliveries/").then().statusCode(200)
                .extract().jsonPath().prettify()).setRootPath("results[0]");
    }
}
