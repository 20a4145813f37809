package dev.recordings.http;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.McpClient;
import dev.recordings.support.Metrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(LoadSheddingTest.OneRequestAtATime.class)
class LoadSheddingTest {

    public static class OneRequestAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recordings.max-requests-in-flight", "1");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void requestsBeyondTheLimitAre503WithRetryAfterAndTheOneInFlightCompletes() throws Exception {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        byte[] body = "{\"segments\": [{\"text\": \"in flight\"}]}".getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + tenant.recordings() + recording + "/append_segments/ HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + tenant.key() + "\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 5);
            out.flush();
            // the half-sent append holds the only place once its headers are read
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> tenant.request().get(tenant.recordings()).statusCode() == 503);

            tenant.request().get(tenant.recordings()).then().statusCode(503)
                    .header("Retry-After", "1")
                    .body("type", is("server_error")).body("code", is("service_unavailable"));

            // MCP's requests are under the same limit
            tenant.request().header("Accept", "application/json, text/event-stream")
                    .body(McpClient.initialize(1))
                    .post("/mcp").then().statusCode(503).header("Retry-After", "1")
                    .body("code", is("service_unavailable"));

            out.write(body, 5, body.length - 5);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200)
                .body("transcript_text", is("in flight"));
        assertTrue(Metrics.value("recordings_load_shedding_refused_total") >= 2, "the refusals are counted");
    }
}
