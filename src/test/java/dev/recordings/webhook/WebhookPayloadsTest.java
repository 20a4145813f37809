package dev.recordings.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.recordings.json.JsonConfiguration;
import dev.recordings.recording.Recording;
import dev.recordings.transcript.TranscriptChange;

/** The webhook events' rules, without a server: what each change makes, the announcement, the 64 KB bound. */
class WebhookPayloadsTest {

    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 12, 6, 10, 0, 0, 0, ZoneOffset.UTC);
    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private final ObjectMapper mapper = mapper();
    private final WebhookPayloads payloads = new WebhookPayloads(mapper, this::summary);

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        new JsonConfiguration().customize(mapper);
        return mapper;
    }

    private ObjectNode summary(Recording recording) {
        ObjectNode json = mapper.createObjectNode().put("id", recording.id.toString())
                .put("meeting_title", recording.meetingTitle).put("status", recording.status)
                .put("notes", recording.notes).put("segment_count", recording.segmentCount);
        json.set("updated_at", mapper.valueToTree(recording.updatedAt));
        return json;
    }

    private static Recording recording(String title, String status, int minute) {
        Recording recording = new Recording();
        recording.id = ID;
        recording.meetingTitle = title;
        recording.status = status;
        recording.segmentCount = minute;
        recording.updatedAt = AT.plusMinutes(minute);
        return recording;
    }

    private JsonNode read(String text) throws Exception {
        return mapper.readTree(text);
    }

    @Test
    void anUpdateNamesTheFieldsThatChangedAndTheStatusHasItsOwnEvent() throws Exception {
        List<WebhookPayloads.Made> made = payloads.recordingChange("UPDATE", AT, ID, 7,
                recording("Weekly", "ready", 2), recording("Daily", "processing", 1));
        assertEquals(List.of(WebhookEvents.STATUS_CHANGED, WebhookEvents.UPDATED),
                made.stream().map(WebhookPayloads.Made::type).toList());
        JsonNode status = read(made.get(0).body());
        assertEquals(List.of("type", "timestamp", "data"), fieldNames(status));
        assertEquals("recording.status_changed", status.get("type").textValue());
        assertEquals("2026-12-06T10:00:00.000000Z", status.get("timestamp").textValue());
        assertEquals(List.of("id", "project_id", "status", "previous_status", "updated_at"),
                fieldNames(status.get("data")));
        assertEquals("processing", status.at("/data/previous_status").textValue());
        assertEquals("2026-12-06T10:02:00.000000Z", status.at("/data/updated_at").textValue());
        JsonNode updated = read(made.get(1).body());
        assertEquals("[\"meeting_title\"]", updated.at("/data/changed").toString());
        assertEquals(7, updated.at("/data/project_id").intValue());
    }

    @Test
    void anUpdateOfOnlyTheStatusOrTheCountMakesNoRecordingUpdated() {
        assertEquals(List.of(WebhookEvents.STATUS_CHANGED), payloads.recordingChange("UPDATE", AT, ID, 7,
                recording("Weekly", "ready", 2), recording("Weekly", "processing", 1)).stream()
                .map(WebhookPayloads.Made::type).toList());
        assertEquals(List.of(), payloads.recordingChange("UPDATE", AT, ID, 7, recording("Weekly", "ready", 2),
                recording("Weekly", "ready", 1)));
    }

    @Test
    void aDeletionSaysOnlyWhichRecording() throws Exception {
        List<WebhookPayloads.Made> made = payloads.recordingChange("DELETE", AT, ID, 7, recording("x", "ready", 1),
                recording("x", "ready", 1));
        assertEquals("{\"id\":\"" + ID + "\",\"project_id\":7}", read(made.get(0).body()).get("data").toString());
    }

    @Test
    void aCreatedEventPast64KbIsCutAndSaysSo() throws Exception {
        Recording big = recording("Weekly", "recording", 0);
        big.notes = "n".repeat(200_000);
        String body = payloads.recordingChange("INSERT", AT, ID, 7, big, null).get(0).body();
        assertTrue(body.getBytes(StandardCharsets.UTF_8).length <= WebhookPayloads.MOST_BYTES, body.length() + "");
        JsonNode data = read(body).get("data");
        assertTrue(data.get("truncated").booleanValue());
        assertEquals("Weekly", data.get("meeting_title").textValue());
        assertTrue(data.get("notes").textValue().endsWith(" [cut]"));
    }

    @Test
    void theAnnouncementStartsAtTheFirstSegmentNotAnnouncedOrEarlierWhenSegmentsMoved() {
        assertEquals(new WebhookPayloads.Announcement(40, List.of(3, 9), List.of(new WebhookPayloads.Rename(null,
                "Ann"))), WebhookPayloads.announcement(40, List.of(
                        new TranscriptChange(5, TranscriptChange.Kind.SEGMENTS, new int[] { 9, 3 }, null, null, null,
                                0, null),
                        new TranscriptChange(6, TranscriptChange.Kind.SPEAKER_RENAMED, new int[0], null, null, "Ann",
                                2, null),
                        new TranscriptChange(7, TranscriptChange.Kind.STATUS, new int[0], null, null, null, 0,
                                "ready"))));
        assertEquals(12, WebhookPayloads.announcement(40, List.of(new TranscriptChange(5,
                TranscriptChange.Kind.SEGMENTS, new int[0], 12, null, null, 0, null))).from());
        assertEquals(0, WebhookPayloads.announcement(40, List.of(new TranscriptChange(5,
                TranscriptChange.Kind.TRANSCRIPT, new int[0], null, null, null, 0, null))).from());
        assertEquals(0, WebhookPayloads.announcement(40, null).from(), "a pruned log announces everything");
    }

    @Test
    void aTranscriptUpdatedKeepsTheSegmentsThatFitAndCutsLongLists() throws Exception {
        ArrayNode segments = mapper.createArrayNode();
        IntStream.range(0, 200).forEach(index -> segments.addObject().put("text", "w".repeat(500)));
        List<Integer> replaced = new ArrayList<>();
        IntStream.range(0, 5000).forEach(replaced::add);
        String body = payloads.transcriptUpdated(AT, ID, 7, 300, 100, segments, true,
                new WebhookPayloads.Announcement(100, replaced, List.of()));
        assertTrue(body.getBytes(StandardCharsets.UTF_8).length <= WebhookPayloads.MOST_BYTES);
        JsonNode data = read(body).get("data");
        assertEquals(List.of("id", "project_id", "segment_count", "start", "segments", "truncated", "replaced",
                "renamed"), fieldNames(data));
        assertTrue(data.get("truncated").booleanValue());
        assertTrue(data.get("segments").size() > 50 && data.get("segments").size() < 200,
                data.get("segments").size() + " segments");
        assertTrue(data.get("replaced").toString().length() <= WebhookPayloads.MOST_CHANGE_LIST_BYTES);
        assertEquals(0, data.get("replaced").get(0).intValue());
    }

    @Test
    void aSmallTranscriptUpdatedIsWholeAndNotTruncated() throws Exception {
        ArrayNode segments = mapper.createArrayNode();
        segments.addObject().put("text", "hello");
        JsonNode data = read(payloads.transcriptUpdated(AT, ID, 7, 1, 0, segments, false,
                new WebhookPayloads.Announcement(0, List.of(), List.of()))).get("data");
        assertFalse(data.get("truncated").booleanValue());
        assertEquals("[{\"text\":\"hello\"}]", data.get("segments").toString());
        assertTrue(WebhookPayloads.nothingNew(1, 1, 1, new WebhookPayloads.Announcement(1, List.of(), List.of())));
        assertFalse(WebhookPayloads.nothingNew(0, 0, 1, new WebhookPayloads.Announcement(0, List.of(), List.of())));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
