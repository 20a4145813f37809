package dev.recordings.transcript.stream;

import static org.hamcrest.Matchers.is;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.EventStream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** Streams have their own limit, and do not count as requests in flight for load shedding. */
@QuarkusTest
@TestProfile(LiveStreamLimitsTest.FewStreams.class)
class LiveStreamLimitsTest {

    public static class FewStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recordings.max-streams", "4", "recordings.max-requests-in-flight", "2");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void beyondTheLimitA503AndOpenStreamsDoNotShedRequests() throws Exception {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        String url = base + tenant.recordings().substring(1) + recording + "/transcript/stream/";
        List<EventStream> open = new ArrayList<>();
        try {
            for (int stream = 0; stream < 4; stream++) {
                EventStream opened = EventStream.open(url, tenant.key());
                assertEquals(200, opened.status, opened.body);
                opened.next();
                open.add(opened);
            }
            // four streams open, two requests in flight allowed: requests are still served
            for (int request = 0; request < 3; request++) {
                tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200);
            }
            EventStream refused = EventStream.open(url, tenant.key());
            assertEquals(503, refused.status);
            JsonPath error = JsonPath.from(refused.body);
            assertEquals("service_unavailable", error.getString("code"));

            tenant.request().header("Prefer", "return=minimal").body("{\"segments\": [{\"text\": \"still live\"}]}")
                    .post(tenant.recordings() + recording + "/append_segments/").then().statusCode(200)
                    .body("appended", is(1));
            for (EventStream stream : open) {
                assertEquals("still live", stream.next().json().getString("segments[0].text"));
            }

            open.remove(0).close();
            // the place is given back when the server sees the connection close, a moment after the client's close
            EventStream[] again = new EventStream[1];
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                again[0] = EventStream.open(url, tenant.key());
                return again[0].status == 200;
            });
            open.add(again[0]);
        } finally {
            for (EventStream stream : open) {
                stream.close();
            }
        }
    }
}
