package dev.recordings.deploy;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recordings.support.OtlpReceiver;
import io.restassured.RestAssured;

/**
 * The packaged service, configured as an operator would (the environment, Quarkus's own variables), sends a client's
 * trace to a real OTLP/HTTP receiver.
 */
class TracesIT {

    @Test
    void aClientsTraceReachesTheConfiguredReceiver() throws Exception {
        int port = ServiceProcess.freePort();
        try (OtlpReceiver receiver = new OtlpReceiver(port);
                ServiceProcess service = ServiceProcess.start("traces", Map.of(
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:" + port + "/v1/traces",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf"))) {
            String traceId = "5bd66ef5095369c7b0d1f8f4bd33716a";
            RestAssured.given().baseUri(service.url("")).header("traceparent", "00-" + traceId + "-c532cb4098ac3dd2-01")
                    .get("/api/projects/1/desktop_recordings/").then().statusCode(401);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received(traceId));
        }
    }
}
