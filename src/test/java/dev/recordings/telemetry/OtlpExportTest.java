package dev.recordings.telemetry;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.OtlpReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With an OTLP/HTTP endpoint configured, a client's trace reaches it (Quarkus's own exporter, a real receiver). */
@QuarkusTest
@TestProfile(OtlpExportTest.ToTheReceiver.class)
class OtlpExportTest {

    public static class ToTheReceiver extends TracesTest.WithAnEndpoint {
        @Override
        protected String inMemory() {
            return "false";
        }
    }

    private static OtlpReceiver receiver;

    @BeforeAll
    static void listen() {
        receiver = new OtlpReceiver(Integer.getInteger(TracesTest.PORT));
    }

    @AfterAll
    static void stopListening() {
        receiver.close();
    }

    @Test
    void aClientsTraceReachesTheReceiver() {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        tenant.request().header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .get(tenant.recordings() + recording + "/").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received(traceId));
    }
}
