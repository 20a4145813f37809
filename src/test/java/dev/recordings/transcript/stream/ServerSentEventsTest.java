package dev.recordings.transcript.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.recordings.error.ApiException;

/** The events' text and the start position's rules, without the application. */
class ServerSentEventsTest {

    @Test
    void eventsAreFieldsThenOneDataLineThenABlankLine() {
        assertEquals("event: segments\nid: 5\ndata: {\"start\":3,\"segments\":[{\"text\":\"a\"},{\"text\":\"b\"}]}\n\n",
                ServerSentEvents.segments(5, 3, "{\"text\":\"a\"},{\"text\":\"b\"}"));
        assertEquals("event: replaced\nid: 7\ndata: {\"index\":2,\"segment\":{\"text\":\"x\"}}\n\n",
                ServerSentEvents.replaced(7, 2, "{\"text\":\"x\"}"));
        assertEquals("event: status\ndata: {\"status\":\"ready\"}\n\n", ServerSentEvents.status("ready"));
        UUID id = UUID.fromString("0193b6c4-1111-7000-8000-000000000000");
        assertEquals("event: deleted\ndata: {\"id\":\"" + id + "\"}\n\n", ServerSentEvents.deleted(id));
        assertEquals(": keep-alive\n\n", ServerSentEvents.KEEP_ALIVE);
    }

    @Test
    void aSegmentsEventWrittenInPiecesIsTheSameText() {
        assertEquals(ServerSentEvents.segments(2, 0, "{\"text\":\"a\"},{\"text\":\"b\"}"),
                ServerSentEvents.segmentsOpening(2, 0) + "{\"text\":\"a\"}" + "," + "{\"text\":\"b\"}"
                        + ServerSentEvents.SEGMENTS_CLOSING);
    }

    @Test
    void namesAreJsonStringsThatCannotBreakTheDataLine() {
        assertEquals("event: speaker_renamed\ndata: {\"from\":null,\"to\":\"A \\\"B\\\"\\nC\",\"renamed\":3}\n\n",
                ServerSentEvents.speakerRenamed(null, "A \"B\"\nC", 3));
    }

    @Test
    void theStartIsLastEventIdElseAfterElseZero() {
        assertEquals(0, StreamStart.parse(null, null));
        assertEquals(4, StreamStart.parse(null, "4"));
        assertEquals(9, StreamStart.parse("9", "4"));
        assertEquals(4, StreamStart.parse(" ", "4"), "a blank Last-Event-ID is no id");
    }

    @Test
    void aStartIsAWholeNumberOfAtLeastZero() {
        assertEquals("after", assertThrows(ApiException.class, () -> StreamStart.parse(null, "-1")).error().attr());
        assertEquals("min_value", assertThrows(ApiException.class, () -> StreamStart.parse(null, "-1")).error()
                .code());
        assertEquals("invalid_input", assertThrows(ApiException.class, () -> StreamStart.parse(null, "1.5")).error()
                .code());
        assertEquals("Last-Event-ID", assertThrows(ApiException.class, () -> StreamStart.parse("x", "1")).error()
                .attr());
    }
}
