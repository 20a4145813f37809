package dev.recordings.health;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.McpClient;
import dev.recordings.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ObservabilityTest {

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @Test
    void metricsNameRouteTemplatesAndCountTheTranscript() {
        Api.Tenant tenant = Api.writer();
        String id = tenant.createRecording();
        tenant.request().body("{\"segments\": [{\"text\": \"a\", \"timestamp\": 1}, {\"text\": \"b\"}]}")
                .post(tenant.recordings() + id + "/append_segments/").then().statusCode(200);
        tenant.request().header("Prefer", "return=minimal").body("{\"segments\": [{\"text\": \"a\", \"timestamp\": 1}]}")
                .post(tenant.recordings() + id + "/append_segments/").then().statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString(
                "uri=\"/api/projects/{project_id}/desktop_recordings/{id}/append_segments\""));
        org.hamcrest.MatcherAssert.assertThat(metrics, not(containsString(id)));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("recordings_transcript_batches_total"));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString(
                "recordings_transcript_segments_total{result=\"dropped\"}"));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("recordings_transcript_batch_size_segments_count"));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString(
                "recordings_transcript_append_statement_seconds_count"));
    }

    /** What on-call asks of appends and assistants: appends by outcome, tool calls by tool and outcome. */
    @Test
    void appendsAndToolCallsAreCountedByOutcome() {
        Api.Tenant tenant = Api.writer();
        String id = tenant.createRecording();
        double ok = Metrics.value("recordings_transcript_appends_total{outcome=\"ok\"}");
        double retries = Metrics.value("recordings_transcript_appends_total{outcome=\"retries_dropped\"}");
        double refused = Metrics.value("recordings_transcript_appends_total{outcome=\"refused\"}");
        tenant.appendMinimal(id, "[{\"text\": \"a\", \"timestamp\": 1}]").statusCode(200);
        tenant.appendMinimal(id, "[{\"text\": \"a\", \"timestamp\": 1}]").statusCode(200);
        tenant.appendMinimal(id, "[]").statusCode(400);
        tenant.appendMinimal(java.util.UUID.randomUUID().toString(), "[{\"text\": \"b\"}]").statusCode(404);
        assertEquals(ok + 1, Metrics.value("recordings_transcript_appends_total{outcome=\"ok\"}"));
        assertEquals(retries + 1,
                Metrics.value("recordings_transcript_appends_total{outcome=\"retries_dropped\"}"));
        assertEquals(refused + 2, Metrics.value("recordings_transcript_appends_total{outcome=\"refused\"}"));

        McpClient mcp = McpClient.connect(McpClient.baseUri(base), tenant.key());
        mcp.call("get_recording", McpClient.args(tenant.projectId(), "recording_id", id));
        mcp.call("get_recording", McpClient.args(tenant.projectId(), "recording_id", "not-a-uuid"));
        assertTrue(Metrics.value("recordings_mcp_tool_calls_total{outcome=\"ok\",tool=\"get_recording\"}") >= 1);
        assertTrue(Metrics.value("recordings_mcp_tool_calls_total{outcome=\"refused\",tool=\"get_recording\"}")
                >= 1);
    }

    @Test
    void everyAnswerCarriesARequestId() {
        given().get("/q/health/live").then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().header("X-Request-Id", "abc-123").get("/api/projects/1/desktop_recordings/")
                .then().statusCode(401).header("X-Request-Id", is("abc-123"));
        given().header("X-Request-Id", "bad id with spaces").get("/nothing")
                .then().statusCode(404).header("X-Request-Id", not(is("bad id with spaces")));
    }
}
