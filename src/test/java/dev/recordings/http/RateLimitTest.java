package dev.recordings.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.McpClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Per-key rate limits: 429 with Retry-After beyond the burst, nothing changed by a throttled request, per key. */
@QuarkusTest
@TestProfile(RateLimitTest.TwoPerSecond.class)
class RateLimitTest {

    /** Two requests per second, bursts of four: small enough to reach in a test. */
    public static class TwoPerSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recordings.rate-limit-per-key", "2");
        }
    }

    @Test
    void aKeyBeyondItsBurstIsThrottledAndItsThrottledRequestsChangeNothing() throws InterruptedException {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        Thread.sleep(2_100); // a full bucket again
        String path = tenant.recordings() + recording + "/append_segments/";
        int accepted = 0;
        Response throttled = null;
        for (int i = 0; i < 40 && throttled == null; i++) {
            Response answer = tenant.request().header("Prefer", "return=minimal")
                    .body("{\"segments\": [{\"timestamp\": " + i + ", \"text\": \"batch " + i + "\"}]}").post(path);
            if (answer.statusCode() == 429) {
                throttled = answer;
            } else {
                assertEquals(200, answer.statusCode(), answer.asString());
                accepted++;
            }
        }
        assertTrue(throttled != null, "never throttled");
        assertTrue(accepted >= 4, "the burst of four was not served: " + accepted);
        throttled.then().body("type", is("throttled_error")).body("code", is("throttled"))
                .body("detail", is("Request was throttled. Expected available in 1 seconds."))
                .header("Retry-After", "1");

        // another key is not slowed down by this one
        Api.Tenant other = Api.writer();
        other.request().get(other.recordings()).then().statusCode(200);

        Thread.sleep(2_100);
        tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200)
                .body("transcript_segments.size()", is(accepted));
    }

    /** MCP's requests take from the same bucket, initialize and tools/list as much as tool calls. */
    @Test
    void everyMcpRequestCountsAgainstTheKeysLimit() throws InterruptedException {
        Api.Tenant tenant = Api.writer();
        Thread.sleep(2_100);
        Map<String, Object> initialize = McpClient.initialize(1);
        Response throttled = null;
        int accepted = 0;
        for (int i = 0; i < 40 && throttled == null; i++) {
            Response answer = tenant.request().header("Accept", "application/json, text/event-stream")
                    .body(initialize).post("/mcp");
            if (answer.statusCode() == 429) {
                throttled = answer;
            } else {
                assertEquals(200, answer.statusCode(), answer.asString());
                accepted++;
            }
        }
        assertTrue(throttled != null, "initialize was never throttled");
        assertTrue(accepted >= 4 && accepted < 10, "the burst of four, then throttled: " + accepted);
        throttled.then().body("code", is("throttled")).header("Retry-After", "1");
    }

    @Test
    void healthAndTheAdminApiAreNotLimited() {
        for (int i = 0; i < 20; i++) {
            given().get("/q/health/ready").then().statusCode(200);
            Api.admin().body("{\"name\": \"p" + i + "\"}").post("/api/admin/projects").then().statusCode(201);
        }
    }
}
