package dev.recordings.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.MisbehavingReceiver;
import dev.recordings.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One project's receivers that never answer hold back only that project's deliveries: attempts are shared between
 * projects, not only capped per endpoint. The attempt deadline is long here (20 s), as in production (15 s), so
 * that without the share the other project's ping would wait for X's attempts to time out.
 */
@QuarkusTest
@TestProfile(WebhookFairnessTest.LongDeadline.class)
class WebhookFairnessTest {

    public static class LongDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recordings.webhooks.timeout", "20s");
        }
    }

    @Inject
    Pool pool;

    @Test
    void sixteenTarpitEndpointsOfOneProjectDoNotDelayAnothersPing() throws Exception {
        Api.Tenant x = Api.tenant("*");
        Api.Tenant y = Api.tenant("*");
        try (MisbehavingReceiver tarpit = new MisbehavingReceiver(MisbehavingReceiver.Behaviour.SILENT);
                WebhookReceiver receiver = new WebhookReceiver()) {
            // 16 endpoints (past the API's cap of 10: as a project that had them, or two projects' worth), 4 pings each
            for (int endpoint = 0; endpoint < 16; endpoint++) {
                UUID id = UUID.randomUUID();
                pool.preparedQuery("INSERT INTO webhook_endpoints (id, team_id, url, events, transcripts, secret) "
                        + "VALUES ($1, $2, $3, ARRAY['*'], true, $4)").execute(Tuple.of(id, x.projectId(),
                                tarpit.url(), WebhookService.newSecret())).await().indefinitely();
                for (int ping = 0; ping < 4; ping++) {
                    x.request().post(x.webhookEndpoints() + id + "/test/").then()
                            .statusCode(202);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> tarpit.connections() >= 16);
            // long enough for every claim X could make to have been made
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> true);

            String endpoint = y.request().body(Map.of("url", receiver.url()))
                    .post(y.webhookEndpoints()).then().statusCode(201).extract()
                    .path("id");
            long asked = System.nanoTime();
            y.request().post(y.webhookEndpoints() + endpoint + "/test/").then()
                    .statusCode(202);
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.ofType("ping").size() == 1);
            long waited = (System.nanoTime() - asked) / 1_000_000;
            assertTrue(waited <= 2_000, "project Y's ping waited " + waited + " ms behind project X's tarpit");
        }
    }
}
