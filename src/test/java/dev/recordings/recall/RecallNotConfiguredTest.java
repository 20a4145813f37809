package dev.recordings.recall;

import static org.hamcrest.Matchers.is;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RecallNotConfiguredTest.UploadsWithoutKey.class)
class RecallNotConfiguredTest {

    public static class UploadsWithoutKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recordings.uploads-enabled", "true", "recall.ai.api-key", "");
        }
    }

    @Test
    void uploadsOnWithoutAKeyIs503AndNoRow() {
        Api.Tenant tenant = Api.writer();
        tenant.request().body("{}").post(tenant.recordings())
                .then().statusCode(503).body("code", is("service_unavailable"))
                .body("detail", is("Recall.ai API key not configured"));
        tenant.request().get(tenant.recordings()).then().body("count", is(0));
    }

    @Test
    void aBadBodyIsStill400() {
        Api.Tenant tenant = Api.writer();
        tenant.request().body("{\"platform\": 3}").post(tenant.recordings()).then().statusCode(400)
                .body("attr", is("platform"));
    }
}
