package dev.recordings.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

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

    @Test
    void aUrlThatIsOrResolvesToAPrivateAddressIsRefused() {
        Api.Tenant tenant = Api.tenant("webhook:write");
        String endpoints = "/api/projects/" + tenant.projectId() + "/webhook_endpoints/";
        for (String url : new String[] { "https://127.0.0.1/hooks", "https://localhost/hooks",
                "https://10.0.0.7/hooks", "https://192.168.0.1/", "https://172.20.1.1/", "https://169.254.169.254/",
                "https://[::1]/", "https://[fd00::1]/", "https://[fe80::1]/", "https://0.0.0.0/" }) {
            JsonPath error = tenant.request().body(Map.of("url", url)).post(endpoints).then().statusCode(400)
                    .extract().jsonPath();
            assertEquals("invalid_input", error.getString("code"), url);
            assertEquals("url", error.getString("attr"), url);
        }
        JsonPath http = tenant.request().body(Map.of("url", "http://example.com/hooks")).post(endpoints).then()
                .statusCode(400).extract().jsonPath();
        assertEquals("Enter a valid https URL.", http.getString("detail"));
    }
}
