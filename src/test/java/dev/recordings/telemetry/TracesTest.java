package dev.recordings.telemetry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;


import dev.recordings.support.Api;
import dev.recordings.support.McpClient;
import dev.recordings.support.WebhookReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With an OTLP endpoint configured, a request is one trace from the HTTP call through each database statement, and
 * a client's traceparent is continued; MCP tool calls and webhook work are spans of their own (in memory here: an
 * exporter bean takes the OTLP exporter's place; OtlpExportTest and TracesIT check the real export).
 */
@QuarkusTest
@TestProfile(TracesTest.WithAnEndpoint.class)
class TracesTest {

    /**
     * The receiver's port, as a system property: the profile and the test run in different class loaders, so a
     * static field would be two receivers.
     */
    static final String PORT = "tracestest.otlp-receiver-port";

    public static class WithAnEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            if (System.getProperty(PORT) == null) {
                try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                    System.setProperty(PORT, Integer.toString(socket.getLocalPort()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:" + System.getProperty(PORT),
                    "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                    "quarkus.otel.bsp.schedule.delay", "100ms", "tracestest.in-memory", inMemory());
        }

        /** The in-memory exporter, or (false) Quarkus's OTLP exporter, which a SpanExporter bean replaces. */
        protected String inMemory() {
            return "true";
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @Test
    void aClientsTraceGoesOnThroughTheDatabaseAndReachesTheReceiver() {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        tenant.request().header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body("{\"segments\": [{\"text\": \"traced\"}]}")
                .post(tenant.recordings() + recording + "/append_segments/").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> ofTrace(traceId).stream()
                .anyMatch(span -> span.getKind() == SpanKind.SERVER));
        List<SpanData> trace = ofTrace(traceId);
        assertTrue(trace.stream().anyMatch(span -> span.getKind() == SpanKind.CLIENT && "postgres".equals(
                span.getAttributes().get(AttributeKey.stringKey("db.system")))), "a span per statement: " + trace);
    }

    @Test
    void toolCallsAndWebhookWorkAreSpansOfTheirOwn() throws Exception {
        Api.Tenant tenant = Api.tenant("*");
        String recording = tenant.createRecording();
        McpClient mcp = McpClient.connect(McpClient.baseUri(base), tenant.key());
        mcp.call("get_recording", McpClient.args(tenant.projectId(), "recording_id", recording));
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(span -> span.getName().equals("mcp get_recording")));

        try (WebhookReceiver hooks = new WebhookReceiver()) {
            tenant.request().body(Map.of("url", hooks.url(), "events", List.of("recording.updated")))
                    .post(tenant.webhookEndpoints()).then().statusCode(201);
            tenant.request().body("{\"meeting_title\": \"traced\"}").patch(tenant.recordings() + recording + "/")
                    .then().statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> !hooks.received().isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                List<String> names = spans.getFinishedSpanItems().stream().map(SpanData::getName).toList();
                return names.contains("webhook events") && names.contains("webhook recording.updated");
            });
        }
    }

    private List<SpanData> ofTrace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }
}
