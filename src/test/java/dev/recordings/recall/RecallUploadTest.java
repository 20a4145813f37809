package dev.recordings.recall;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.recordings.support.Api;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(FakeRecall.class)
class RecallUploadTest {

    @BeforeEach
    void reset() {
        FakeRecall.reset();
    }

    @Test
    void createAsksRecallForAnUploadAndAnswersItsToken() {
        Api.Tenant tenant = Api.writer();
        FakeRecall.ANSWERS.add(FakeRecall.success("7276e323-83a6-4edf-893f-03d54726eb02"));
        JsonPath created = tenant.request().body("{\"platform\": \"zoom\"}").post(tenant.recordings())
                .then().statusCode(201)
                .body("upload_token", is("tok-123"))
                .body("sdk_upload_id", is("7276e323-83a6-4edf-893f-03d54726eb02"))
                .extract().jsonPath();

        FakeRecall.Received request = FakeRecall.last;
        assertEquals("POST", request.method());
        assertEquals("/api/v1/sdk_upload/", request.path());
        assertEquals("Token " + FakeRecall.KEY, request.authorization());
        assertTrue(request.contentType().startsWith("application/json"));
        JsonPath sent = JsonPath.from(request.body());
        assertEquals("desktop_sdk_callback", sent.getString("recording_config.realtime_endpoints[0].type"));
        assertEquals("transcript.data", sent.getString("recording_config.realtime_endpoints[0].events[0]"));
        assertTrue(sent.getMap("recording_config.transcript.provider").containsKey("assembly_ai_v3_streaming"));
        assertEquals(created.getString("id"), sent.getString("metadata.recording_id"));
        assertEquals(String.valueOf(tenant.projectId()), sent.getString("metadata.project_id"));

        tenant.request().get(tenant.recordings() + created.getString("id") + "/").then().statusCode(200)
                .body("sdk_upload_id", is("7276e323-83a6-4edf-893f-03d54726eb02"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "500 | {\"detail\": \"boom\"}              | 0    | HTTP 500",
            "201 | not json                          | 0    | invalid response",
            "201 | {\"upload_token\": \"t\"}          | 0    | invalid response",
            "201 | {\"id\": \"7276e323-83a6-4edf-893f-03d54726eb02\"} | 0 | invalid response",
            "201 | {\"id\": \"x\", \"upload_token\": \"t\"} | 0 | invalid response",
            "201 | {}                                | 3000 | timeout",
            "429 | {}                                | 0    | HTTP 429" })
    void aFailingRecallIs503WithTheReasonAndLeavesNoRow(int status, String body, long delay, String reason) {
        Api.Tenant tenant = Api.writer();
        FakeRecall.ANSWERS.add(new FakeRecall.Answer(status, body, delay));
        String detail = tenant.request().body("{}").post(tenant.recordings())
                .then().statusCode(503)
                .body("type", is("server_error"))
                .body("code", is("service_unavailable"))
                .extract().path("detail");
        assertEquals("Failed to create upload with Recall.ai: " + reason, detail);
        assertTrue(!detail.contains(FakeRecall.KEY));
        tenant.request().get(tenant.recordings()).then().body("count", is(0));
    }

    @Test
    void aThrottledCreateWithAShortRetryAfterIsRetriedOnce() {
        Api.Tenant tenant = Api.writer();
        FakeRecall.ANSWERS.add(new FakeRecall.Answer(429, "{}", 0, Map.of("Retry-After", "1")));
        tenant.request().body("{}").post(tenant.recordings()).then().statusCode(201)
                .body("upload_token", is("tok-123"));
        assertEquals(2, FakeRecall.REQUESTS.get());
    }

    @Test
    void aThrottledCreateThatThrottlesAgainIs503WithTheRetryAfter() {
        Api.Tenant tenant = Api.writer();
        FakeRecall.ANSWERS.add(new FakeRecall.Answer(429, "{}", 0, Map.of("Retry-After", "1")));
        FakeRecall.ANSWERS.add(new FakeRecall.Answer(429, "{}", 0, Map.of("Retry-After", "1")));
        tenant.request().body("{}").post(tenant.recordings()).then().statusCode(503)
                .header("Retry-After", "1")
                .body("detail", is("Failed to create upload with Recall.ai: HTTP 429"));
        assertEquals(2, FakeRecall.REQUESTS.get());
        tenant.request().get(tenant.recordings()).then().body("count", is(0));
    }

    @Test
    void aThrottledCreateWithALongRetryAfterIs503AtOnceAndPassesItOn() {
        Api.Tenant tenant = Api.writer();
        FakeRecall.ANSWERS.add(new FakeRecall.Answer(429, "{}", 0, Map.of("Retry-After", "30")));
        tenant.request().body("{}").post(tenant.recordings()).then().statusCode(503)
                .header("Retry-After", "30")
                .body("code", is("service_unavailable"));
        assertEquals(1, FakeRecall.REQUESTS.get());
    }

    @Test
    void anUploadIdRecallAlreadyGaveIs503AndNoSecondRow() {
        Api.Tenant tenant = Api.writer();
        String reused = java.util.UUID.randomUUID().toString();
        FakeRecall.ANSWERS.add(FakeRecall.success(reused));
        FakeRecall.ANSWERS.add(FakeRecall.success(reused));
        tenant.request().body("{}").post(tenant.recordings()).then().statusCode(201);
        tenant.request().body("{}").post(tenant.recordings()).then().statusCode(503)
                .body("detail", is("Failed to create upload with Recall.ai: duplicate upload id"));
        tenant.request().get(tenant.recordings()).then().body("count", is(1));
    }

    @Test
    void theBodyIsCheckedBeforeRecallIsAsked() {
        Api.Tenant tenant = Api.writer();
        tenant.request().body("{\"platform\": \"fax\"}").post(tenant.recordings()).then().statusCode(400);
        assertNull(FakeRecall.last);
    }
}
