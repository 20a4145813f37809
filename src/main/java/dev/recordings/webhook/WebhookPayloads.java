package dev.recordings.webhook;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.json.JsonBounds;
import dev.recordings.recording.Recording;
import dev.recordings.transcript.TranscriptChange;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The events receivers get, declared: each event's data is a type here (the API document's webhooks describe these
 * types), and the rules that fill them are pure functions of what the dispatcher read: which fields a
 * recording.updated names, how a transcript's logged changes become an announcement, the 64 KB bound and how each
 * event is cut to it. No database and no clock.
 */
public final class WebhookPayloads {

    /** The contract's bounds on an event, and on the segments a transcript.updated carries. */
    static final int MOST_BYTES = 64 * 1024;
    static final int MOST_SEGMENTS = 200;
    /** The most of a transcript.updated's {@code replaced} and {@code renamed} lists each, so segments keep room. */
    static final int MOST_CHANGE_LIST_BYTES = 8 * 1024;
    /** Recording fields that are not "changes" of their own: the status has its event, the rest move by themselves. */
    private static final List<String> NOT_CHANGES = List.of("status", "updated_at", "segment_count");

    /** Every event as it is sent (the API document describes one such schema per type). */
    @RegisterForReflection
    public record Envelope(String type, OffsetDateTime timestamp, Object data) {
    }

    /** recording.deleted */
    @RegisterForReflection
    @Schema(name = "RecordingDeletedData")
    public record RecordingDeleted(@Schema(required = true, format = "uuid") UUID id,
            @Schema(required = true) long projectId) {
    }

    /** recording.status_changed */
    @RegisterForReflection
    @Schema(name = "RecordingStatusChangedData")
    public record StatusChanged(@Schema(required = true, format = "uuid") UUID id,
            @Schema(required = true) long projectId, @Schema(required = true) String status,
            @Schema(required = true) String previousStatus, @Schema(required = true) OffsetDateTime updatedAt) {
    }

    /** transcript.updated: what changed in a transcript since its last announcement. */
    @RegisterForReflection
    @Schema(name = "TranscriptUpdatedData")
    public record TranscriptUpdated(@Schema(required = true, format = "uuid") UUID id,
            @Schema(required = true) long projectId,
            @Schema(required = true, description = "The transcript's length now.") int segmentCount,
            @Schema(required = true, description = "The position of the first segment in segments.") int start,
            @Schema(required = true, implementation = Recording.TranscriptSegment[].class) List<JsonNode> segments,
            @Schema(required = true, description = "True when segments, replaced or renamed were cut to fit.")
            boolean truncated,
            @Schema(required = true, description = "Positions replaced in place since the last announcement.")
            List<Integer> replaced,
            @Schema(required = true) List<Rename> renamed) {
    }

    /** One speaker rename in a transcript.updated. */
    @RegisterForReflection
    @Schema(name = "RenamedSpeaker")
    public record Rename(@Schema(nullable = true, description = "Null: segments that had no speaker.") String from,
            @Schema(required = true) String to) {
    }

    /** ping */
    @RegisterForReflection
    @Schema(name = "PingData")
    public record Ping(@Schema(required = true, format = "uuid") UUID endpointId) {
    }

    /** One event made: its type and its text as sent. */
    public record Made(String type, String body) {
    }

    /**
     * What a transcript.updated announces, from the logged changes: the first position to send segments from, the
     * positions replaced in place, and the renames.
     */
    public record Announcement(int from, List<Integer> replaced, List<Rename> renamed) {
    }

    private final ObjectMapper mapper;
    private final Function<Recording, ObjectNode> summary;

    /** {@code summary}: a recording's fields as the API shows them without the transcript. */
    public WebhookPayloads(ObjectMapper mapper, Function<Recording, ObjectNode> summary) {
        this.mapper = mapper;
        this.summary = summary;
    }

    /** An event's text, whole. */
    public String event(String type, OffsetDateTime at, Object data) {
        try {
            return mapper.writeValueAsString(new Envelope(type, at, data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event that cannot be written", e);
        }
    }

    public String ping(OffsetDateTime at, UUID endpoint) {
        return event(WebhookEvents.PING, at, new Ping(endpoint));
    }

    /**
     * The events one row change of desktop_recordings makes ({@code operation} as the outbox logged it: INSERT,
     * UPDATE or DELETE): recording.created, recording.deleted, or for an update recording.status_changed and
     * recording.updated (naming the fields that changed), each only when something it reports changed.
     */
    public List<Made> recordingChange(String operation, OffsetDateTime at, UUID id, long projectId, Recording now,
            Recording before) {
        List<Made> made = new ArrayList<>(2);
        switch (operation) {
            case "INSERT" -> made.add(bounded(WebhookEvents.CREATED, at, withProject(summary.apply(now), projectId)));
            case "DELETE" -> made.add(new Made(WebhookEvents.DELETED,
                    event(WebhookEvents.DELETED, at, new RecordingDeleted(id, projectId))));
            default -> {
                if (!Objects.equals(now.status, before.status)) {
                    made.add(new Made(WebhookEvents.STATUS_CHANGED, event(WebhookEvents.STATUS_CHANGED, at,
                            new StatusChanged(id, projectId, now.status, before.status, now.updatedAt))));
                }
                ObjectNode current = summary.apply(now);
                ObjectNode previous = summary.apply(before);
                ArrayNode changed = mapper.createArrayNode();
                current.properties().forEach(field -> {
                    if (!NOT_CHANGES.contains(field.getKey())
                            && !Objects.equals(field.getValue(), previous.get(field.getKey()))) {
                        changed.add(field.getKey());
                    }
                });
                if (!changed.isEmpty()) {
                    ObjectNode data = withProject(current, projectId);
                    data.set("changed", changed);
                    made.add(bounded(WebhookEvents.UPDATED, at, data));
                }
            }
        }
        return made;
    }

    /**
     * What to announce after {@code announcedCount} segments, given the changes logged since the last announcement
     * ({@code null} when some of them were pruned: everything is announced again, from 0).
     */
    public static Announcement announcement(int announcedCount, List<TranscriptChange> logged) {
        if (logged == null) {
            return new Announcement(0, List.of(), List.of());
        }
        int start = announcedCount;
        TreeSet<Integer> replaced = new TreeSet<>();
        List<Rename> renamed = new ArrayList<>();
        for (TranscriptChange change : logged) {
            switch (change.kind()) {
                case TRANSCRIPT -> start = 0;
                case SEGMENTS -> {
                    for (int position : change.replaced()) {
                        replaced.add(position);
                    }
                    if (change.replacedFrom() != null) {
                        start = Math.min(start, change.replacedFrom());
                    }
                }
                case SPEAKER_RENAMED -> renamed.add(new Rename(change.from(), change.to()));
                case STATUS, UNKNOWN -> {
                    // a status change has its own event
                }
            }
        }
        return new Announcement(start, List.copyOf(replaced), renamed);
    }

    /**
     * A transcript.updated: the segments given (JSON, from position {@code start}) as many as fit in 64 KB beside
     * the rest, the replaced positions and renames each cut to 8 KB; {@code truncated} when anything was cut or
     * the segments given end before {@code count}.
     */
    public String transcriptUpdated(OffsetDateTime at, UUID id, long projectId, int count, int start,
            ArrayNode segments, boolean moreAfter, Announcement announced) {
        ArrayNode positions = mapper.valueToTree(announced.replaced());
        ArrayNode renames = mapper.valueToTree(announced.renamed());
        JsonNode replacedShown = JsonBounds.fit(positions, MOST_CHANGE_LIST_BYTES);
        JsonNode renamedShown = JsonBounds.fit(renames, MOST_CHANGE_LIST_BYTES);
        boolean truncated = moreAfter || replacedShown != positions || renamedShown != renames;
        List<JsonNode> shown = new ArrayList<>();
        TranscriptUpdated data = new TranscriptUpdated(id, projectId, count, start, shown, truncated,
                integers(replacedShown), renames(renamedShown));
        // the segments that fit beside the rest, each measured once
        int room = MOST_BYTES - event(WebhookEvents.TRANSCRIPT, at, data).getBytes(StandardCharsets.UTF_8).length;
        for (JsonNode segment : segments) {
            int cost = JsonBounds.size(segment) + (shown.isEmpty() ? 0 : 1);
            if (cost > room) {
                truncated = true;
                break;
            }
            shown.add(segment);
            room -= cost;
        }
        return event(WebhookEvents.TRANSCRIPT, at, new TranscriptUpdated(id, projectId, count, start, shown,
                truncated, data.replaced(), data.renamed()));
    }

    /** Whether a transcript.updated would announce nothing. */
    public static boolean nothingNew(int announcedCount, int from, int count, Announcement announced) {
        return from >= count && announced.replaced().isEmpty() && announced.renamed().isEmpty()
                && from == announcedCount;
    }

    private ObjectNode withProject(ObjectNode recording, long projectId) {
        ObjectNode data = recording.deepCopy();
        data.put("project_id", projectId);
        return data;
    }

    /** The event's text; past 64 KB its data is cut to fit (JsonBounds) and says so with {@code "truncated": true}. */
    private Made bounded(String type, OffsetDateTime at, ObjectNode data) {
        String text = event(type, at, data);
        if (text.getBytes(StandardCharsets.UTF_8).length <= MOST_BYTES) {
            return new Made(type, text);
        }
        int envelope = event(type, at, mapper.createObjectNode()).getBytes(StandardCharsets.UTF_8).length;
        ObjectNode fitted = (ObjectNode) JsonBounds.fit(data, MOST_BYTES - envelope - 32);
        fitted.put("truncated", true);
        return new Made(type, event(type, at, fitted));
    }

    private static List<Integer> integers(JsonNode array) {
        List<Integer> values = new ArrayList<>(array.size());
        array.forEach(value -> values.add(value.intValue()));
        return values;
    }

    private List<Rename> renames(JsonNode array) {
        List<Rename> values = new ArrayList<>(array.size());
        array.forEach(value -> values.add(mapper.convertValue(value, Rename.class)));
        return values;
    }
}
