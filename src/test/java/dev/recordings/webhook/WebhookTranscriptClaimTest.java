package dev.recordings.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The per-second claim of transcripts to announce reads the active ones through an index, not every transcript
 * ever enrolled; a quiet transcript that changes is still announced.
 */
@QuarkusTest
class WebhookTranscriptClaimTest {

    @Inject
    Pool pool;

    @Inject
    WebhookStore store;

    @Test
    void theClaimReadsTheActiveTranscriptsThroughItsIndex() {
        pool.query("INSERT INTO webhook_transcripts (recording_id, team_id, announced_at, quiet) "
                + "SELECT gen_random_uuid(), 0, now() - interval '1 day', true FROM generate_series(1, 5000)")
                .execute().await().indefinitely();
        try {
            pool.query("ANALYZE webhook_transcripts").execute().await().indefinitely();
            StringBuilder plan = new StringBuilder();
            pool.withTransaction(transaction -> transaction.preparedQuery("EXPLAIN " + WebhookStore.CLAIM_TRANSCRIPTS)
                    .execute(Tuple.of(2.0, 100))).await().indefinitely()
                    .forEach(row -> plan.append(row.getString(0)).append('\n'));
            assertTrue(plan.toString().contains("webhook_transcripts_active_idx"), plan.toString());
        } finally {
            pool.query("DELETE FROM webhook_transcripts WHERE team_id = 0").execute().await().indefinitely();
        }
    }

    @Test
    void aQuietTranscriptThatChangesIsWokenAndAnnounced() throws Exception {
        Api.Tenant tenant = Api.tenant("*");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            tenant.request().body(Map.of("url", receiver.url(), "events", List.of("transcript.updated")))
                    .post(tenant.webhookEndpoints()).then().statusCode(201);
            String recording = tenant.createRecording();
            tenant.appendMinimal(recording, "[{\"text\": \"first\"}]").statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.ofType("transcript.updated").size() == 1);
            // announced long ago and unchanged since: the sweep quietens it
            pool.preparedQuery("UPDATE webhook_transcripts SET announced_at = now() - interval '1 hour' "
                    + "WHERE recording_id = $1").execute(Tuple.of(UUID.fromString(recording))).await().indefinitely();
            store.settleQuietTranscripts(Duration.ofMinutes(10)).await().indefinitely();
            assertEquals(Boolean.TRUE, quiet(recording));

            tenant.appendMinimal(recording, "[{\"text\": \"second\"}]").statusCode(200);
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertEquals(1, receiver.ofType("transcript.updated").size(), "a quiet transcript is not claimed");
            store.settleQuietTranscripts(Duration.ofMinutes(10)).await().indefinitely();
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.ofType("transcript.updated").size() == 2);
            assertEquals(List.of("second"), receiver.ofType("transcript.updated").get(1).json()
                    .getList("data.segments.text"));
        }
    }

    private Boolean quiet(String recording) {
        return pool.preparedQuery("SELECT quiet FROM webhook_transcripts WHERE recording_id = $1")
                .execute(Tuple.of(UUID.fromString(recording))).await().indefinitely().iterator().next()
                .getBoolean(0);
    }
}
