package dev.recordings.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** With private addresses refused, as in production: no endpoint can point into the service's own network. */
@QuarkusTest
@TestProfile(WebhookAddressTest.PublicOnly.class)
class WebhookAddressTest {

    public static class PublicOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recordings.webhooks.allow-private", "false", "recordings.webhooks.allow-http", "false");
        }
    }

    @Inject
    Pool pool;

    @Test
    void aUrlThatIsOrResolvesToAPrivateAddressIsRefused() {
        Api.Tenant tenant = Api.tenant("webhook:write");
        String endpoints = tenant.webhookEndpoints();
        for (String url : new String[] { "https://127.0.0.1/hooks", "https://localhost/hooks",
                "https://10.0.0.7/hooks", "https://192.168.0.1/", "https://172.20.1.1/", "https://169.254.169.254/",
                "https://[::1]/", "https://[fd00::1]/", "https://[fe80::1]/", "https://0.0.0.0/",
                "https://100.64.0.1/", "https://198.18.0.1/", "https://240.0.0.1/", "https://[64:ff9b::a00:1]/",
                "https://[2002:a9fe:a9fe::]/", "https://[::10.0.0.1]/" }) {
            JsonPath error = tenant.request().body(Map.of("url", url)).post(endpoints).then().statusCode(400)
                    .extract().jsonPath();
            assertEquals("invalid_input", error.getString("code"), url);
            assertEquals("url", error.getString("attr"), url);
        }
        JsonPath http = tenant.request().body(Map.of("url", "http://example.com/hooks")).post(endpoints).then()
                .statusCode(400).extract().jsonPath();
        assertEquals("Enter a valid https URL.", http.getString("detail"));
    }

    /** No oracle for internal names: a name that does not resolve is refused in the words of a private one. */
    @Test
    void aNameThatDoesNotResolveAndAPrivateAddressAreRefusedAlike() {
        Api.Tenant tenant = Api.tenant("webhook:write");
        String endpoints = tenant.webhookEndpoints();
        String unresolved = tenant.request().body(Map.of("url", "https://no-such-host.invalid/hooks"))
                .post(endpoints).then().statusCode(400).extract().path("detail");
        String internal = tenant.request().body(Map.of("url", "https://localhost/hooks")).post(endpoints).then()
                .statusCode(400).extract().path("detail");
        assertEquals(internal, unresolved);
    }

    /**
     * Saves an endpoint with this URL past the API's check (as one saved under other settings, or whose name
     * resolved elsewhere then), pings it, and answers the error its first attempt logged.
     */
    private String firstAttemptError(Api.Tenant tenant, String url) {
        UUID endpoint = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO webhook_endpoints (id, team_id, url, events, transcripts, secret) "
                + "VALUES ($1, $2, $3, ARRAY['*'], true, 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0')")
                .execute(Tuple.of(endpoint, tenant.projectId(), url)).await().indefinitely();
        UUID delivery = UUID.fromString(tenant.request().post(tenant.webhookEndpoints() + endpoint + "/test/")
                .then().statusCode(202).extract().path("delivery_id"));
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.preparedQuery("SELECT attempts FROM "
                + "webhook_deliveries WHERE id = $1").execute(Tuple.of(delivery)).await().indefinitely()
                .iterator().next().getInteger(0) >= 1);
        return pool.preparedQuery("SELECT last_error FROM webhook_deliveries WHERE id = $1")
                .execute(Tuple.of(delivery)).await().indefinitely().iterator().next().getString(0);
    }

    /** Turning http off stops the deliveries of endpoints saved while it was on. */
    @Test
    void theSchemeIsCheckedAgainAtEachAttempt() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String error = firstAttemptError(Api.tenant("*"), receiver.url());
            assertTrue(error.contains("scheme"), error);
            assertEquals(0, receiver.received().size(), "nothing was sent over http");
        }
    }

    /**
     * An address that was public when its endpoint was saved may not be at delivery (a name that now resolves
     * privately, or an endpoint saved while private addresses were allowed): each attempt checks the address it
     * connects to, and sends nothing to a private one.
     */
    @Test
    void theAddressIsCheckedAgainAtEachAttempt() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String error = firstAttemptError(Api.tenant("*"),
                    receiver.url().replace("http://127.0.0.1", "https://localhost"));
            assertTrue(error.startsWith("the URL cannot receive webhooks"), error);
            assertEquals(0, receiver.received().size(), "nothing was sent to a private address");
        }
    }
}
