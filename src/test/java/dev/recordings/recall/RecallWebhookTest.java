package dev.recordings.recall;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.svix.Webhook;

import dev.recordings.support.Api;
import dev.recordings.support.EventStream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@WithTestResource(FakeRecall.class)
class RecallWebhookTest {

    private static final String PATH = "/api/desktop_recordings/webhooks/recall";

    @TestHTTPResource("/")
    URL base;

    private Api.Tenant tenant;
    private String recording;
    private String upload;

    @BeforeEach
    void createRecordingWithItsOwnUpload() {
        FakeRecall.reset();
        upload = UUID.randomUUID().toString();
        FakeRecall.ANSWERS.add(new FakeRecall.Answer(201,
                "{\"id\": \"" + upload + "\", \"upload_token\": \"t\"}", 0));
        tenant = Api.writer();
        recording = tenant.createRecording();
    }

    private static String event(String event, String uploadId, String extra) {
        return "{\"event\": \"" + event + "\", \"data\": {\"data\": {\"code\": \"" + event.substring(11)
                + "\", \"sub_code\": " + extra + ", \"updated_at\": \"2026-11-23T19:00:00Z\"}, "
                + "\"recording\": {\"id\": \"08cce185-c34b-4d4f-bb61-49c99f8ccc30\", \"metadata\": {}}, "
                + "\"sdk_upload\": {\"id\": \"" + uploadId + "\", \"metadata\": {}}}}";
    }

    private static RequestSpecification signed(String id, long timestamp, String body, String secret)
            throws Exception {
        return given().contentType("application/json")
                .header("svix-id", id)
                .header("svix-timestamp", Long.toString(timestamp))
                .header("svix-signature", new Webhook(secret).sign(id, timestamp, body))
                .body(body);
    }

    private static ValidatableResponse deliver(String id, String body) throws Exception {
        return signed(id, Instant.now().getEpochSecond(), body, FakeRecall.WEBHOOK_SECRET).post(PATH).then();
    }

    private String status() {
        return tenant.request().get(tenant.recordings() + recording + "/").then().extract().path("status");
    }

    @Test
    void eachEventMovesTheStatusForward() throws Exception {
        deliver("msg_1", event("sdk_upload.recording_started", upload, "null")).statusCode(200)
                .body("status", is("unchanged"));
        deliver("msg_2", event("sdk_upload.recording_ended", upload, "null")).statusCode(200)
                .body("status", is("applied"));
        assertEquals("uploading", status());
        deliver("msg_3", event("sdk_upload.uploading", upload, "null")).body("status", is("unchanged"));
        deliver("msg_4", event("sdk_upload.complete", upload, "null")).body("status", is("applied"));
        tenant.request().get(tenant.recordings() + recording + "/").then()
                .body("status", is("processing"))
                .body("recall_recording_id", is("08cce185-c34b-4d4f-bb61-49c99f8ccc30"));
    }

    @Test
    void aStatusMovedByTheWebhookReachesTheLiveStream() throws Exception {
        try (EventStream stream = EventStream.open(base + tenant.recordings().substring(1) + recording
                + "/transcript/stream/", tenant.key())) {
            assertEquals(200, stream.status);
            assertEquals("segments", stream.next().event());
            deliver("msg_live", event("sdk_upload.recording_ended", upload, "null")).body("status", is("applied"));
            EventStream.Event moved = stream.next();
            assertEquals("status", moved.event());
            assertEquals("uploading", moved.json().getString("status"));
        }
    }

    @Test
    void aFailedUploadIsAnErrorWithItsSubCode() throws Exception {
        deliver("msg_f", event("sdk_upload.failed", upload, "\"upload_timeout\"")).body("status", is("applied"));
        tenant.request().get(tenant.recordings() + recording + "/").then()
                .body("status", is("error")).body("error_message", is("upload_timeout"));
        deliver("msg_g", event("sdk_upload.complete", upload, "null")).body("status", is("unchanged"));
        tenant.request().get(tenant.recordings() + recording + "/").then().body("status", is("error"));
    }

    @Test
    void lateAndOutOfOrderEventsNeverMoveTheStatusBack() throws Exception {
        deliver("msg_a", event("sdk_upload.complete", upload, "null")).body("status", is("applied"));
        deliver("msg_b", event("sdk_upload.uploading", upload, "null")).statusCode(200).body("status", is("unchanged"));
        deliver("msg_c", event("sdk_upload.recording_started", upload, "null")).statusCode(200);
        assertEquals("processing", status());
    }

    @Test
    void aRedeliveryChangesNothing() throws Exception {
        String body = event("sdk_upload.uploading", upload, "null");
        String id = "msg_" + UUID.randomUUID();
        deliver(id, body).body("status", is("applied"));
        tenant.request().body("{\"status\": \"recording\"}").patch(tenant.recordings() + recording + "/")
                .then().statusCode(200);
        deliver(id, body).statusCode(200).body("status", is("duplicate"));
        assertEquals("recording", status());
    }

    @Test
    void anUnknownUploadOrEventIs200AndChangesNothing() throws Exception {
        deliver("msg_u", event("sdk_upload.complete", UUID.randomUUID().toString(), "null"))
                .statusCode(200).body("status", is("unknown_upload"));
        deliver("msg_v", event("bot.status_change", upload, "null")).statusCode(200).body("status", is("ignored"));
        tenant.request().get(tenant.recordings() + recording + "/").then()
                .body("status", is("recording")).body("recall_recording_id", nullValue());
    }

    @Test
    void theMetadataFindsTheRecordingWhenTheUploadIdDoesNot() throws Exception {
        String body = event("sdk_upload.uploading", UUID.randomUUID().toString(), "null")
                .replace("\"sdk_upload\": {\"id\"", "\"sdk_upload\": {\"metadata\": {\"recording_id\": \""
                        + recording + "\"}, \"id\"")
                .replace(", \"metadata\": {}}}}", "}}}");
        deliver("msg_m", body).statusCode(200).body("status", is("applied"));
        assertEquals("uploading", status());
    }

    @Test
    void aWebhookRacingAPatchLosesNeitherWrite() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
            String[] events = { "sdk_upload.recording_ended", "sdk_upload.uploading", "sdk_upload.complete" };
            for (int i = 0; i < events.length; i++) {
                String body = event(events[i], upload, "null");
                String id = "msg_race_" + i;
                writes.add(pool.submit(() -> {
                    deliver(id, body).statusCode(200);
                    return null;
                }));
                String notes = "{\"notes\": \"note " + i + "\", \"duration_seconds\": " + i + "}";
                writes.add(pool.submit(() -> tenant.request().body(notes)
                        .patch(tenant.recordings() + recording + "/").then().statusCode(200)));
            }
            for (java.util.concurrent.Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
        tenant.request().get(tenant.recordings() + recording + "/").then()
                .body("status", is("processing"))
                .body("recall_recording_id", is("08cce185-c34b-4d4f-bb61-49c99f8ccc30"))
                .body("notes", org.hamcrest.Matchers.startsWith("note "));
    }

    @Test
    void aBadSignatureIs401AndChangesNothing() throws Exception {
        String body = event("sdk_upload.complete", upload, "null");
        long now = Instant.now().getEpochSecond();
        signed("msg_w", now, body, "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24])).post(PATH)
                .then().statusCode(401).body("type", is("authentication_error"))
                .body("code", is("authentication_failed"));
        signed("msg_t", now, body, FakeRecall.WEBHOOK_SECRET).body(body.replace("complete", "failed")).post(PATH)
                .then().statusCode(401);
        signed("msg_o", now - 600, body, FakeRecall.WEBHOOK_SECRET).post(PATH).then().statusCode(401);
        signed("msg_n", now + 600, body, FakeRecall.WEBHOOK_SECRET).post(PATH).then().statusCode(401);
        given().contentType("application/json").body(body).post(PATH).then().statusCode(401);
        given().contentType("application/json").header("svix-id", "msg_x").header("svix-timestamp", now)
                .body(body).post(PATH).then().statusCode(401);
        assertEquals("recording", status());
    }
}
