package dev.recordings.transcript.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.EventStream;
import dev.recordings.support.Metrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A stream on the replica that took an append sends its segments from memory, without reading them back, and only
 * when they follow exactly what it has sent: the events are still in commit order.
 */
@QuarkusTest
class LiveStreamFromMemoryTest {

    private static final Duration SOON = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL base;

    private Api.Tenant tenant;
    private String recording;

    @BeforeEach
    void recording() {
        tenant = Api.writer();
        recording = tenant.createRecording();
    }

    private EventStream watch() throws Exception {
        EventStream stream = EventStream.open(base + tenant.recordings().substring(1) + recording
                + "/transcript/stream/", tenant.key(), Map.of());
        assertEquals(200, stream.status, stream.body);
        assertEquals("0", stream.next(SOON).id());
        return stream;
    }

    private void append(String speaker, String text) {
        tenant.appendMinimal(recording, "[{\"speaker\": \"" + speaker + "\", \"text\": \"" + text + "\"}]")
                .statusCode(200);
    }

    private static double segmentEvents(String source) {
        return Metrics.value("recordings_live_streams_segment_events_total{source=\"" + source + "\"}");
    }

    @Test
    void appendsTakenHereAreSentWithoutAReadBack() throws Exception {
        double before = segmentEvents("memory");
        try (EventStream stream = watch()) {
            for (int round = 0; round < 5; round++) {
                append("Ana", "said " + round);
                EventStream.Event event = stream.next(SOON);
                assertEquals("segments", event.event());
                assertEquals(Integer.toString(round + 1), event.id());
                assertEquals(round, event.json().getInt("start"));
                assertEquals(List.of("said " + round), event.json().getList("segments.text"));
            }
        }
        // a poll may read one first now and then; without the hand-over, none comes from memory
        assertTrue(segmentEvents("memory") - before >= 3, "segments sent from memory: " + (segmentEvents("memory")
                - before));
    }

    @Test
    void aRenameBetweenTwoAppendsReachesTheClientBeforeTheSecond() throws Exception {
        try (EventStream stream = watch()) {
            append("Ana", "first");
            assertEquals("1", stream.next(SOON).id());
            tenant.request().body("{\"from\": \"Ana\", \"to\": \"Bea\"}")
                    .post(tenant.recordings() + recording + "/speakers/").then().statusCode(200);
            append("Ana", "second");
            // the client's copy, applying each event as the contract says
            List<String> speakers = new ArrayList<>(List.of("Ana"));
            while (speakers.size() < 2 || speakers.contains("Ana") && speakers.get(0).equals("Ana")) {
                EventStream.Event event = stream.next(SOON);
                if (event.event().equals("speaker_renamed")) {
                    speakers.replaceAll(speaker -> Objects.equals(speaker, event.json().getString("from"))
                            ? event.json().getString("to") : speaker);
                } else if (event.event().equals("segments")) {
                    speakers.addAll(event.json().getList("segments.speaker"));
                }
            }
            assertEquals(tenant.read(recording).getList("transcript_segments.speaker"), speakers);
            assertEquals(List.of("Bea", "Ana"), speakers);
        }
    }
}
