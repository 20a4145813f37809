package dev.recordings.transcript.stream;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A change announced on the channel {@value #CHANNEL} by the database (the transcript functions and the triggers
 * of {@code V5__live_transcript_notifications.sql}): which recording, and what changed. Streams read the segments
 * themselves; the change carries only what they cannot read back (a rename's names, the new status).
 */
record TranscriptChange(UUID recording, Kind kind, int[] replaced, Integer replacedFrom, String from, String to,
        int renamed, String status) {

    static final String CHANNEL = "transcript_changes";

    enum Kind {
        /** Segments appended, or replaced in place. */
        SEGMENTS,
        /** The whole transcript replaced (PUT or PATCH of transcript_segments). */
        TRANSCRIPT,
        SPEAKER_RENAMED,
        STATUS,
        DELETED;

        boolean touchesSegments() {
            return this == SEGMENTS || this == TRANSCRIPT;
        }
    }

    static final int[] NONE = new int[0];

    /** Not announced by the database: a stream's note to itself that it has more segments to read. */
    static TranscriptChange more(UUID recording) {
        return new TranscriptChange(recording, Kind.SEGMENTS, NONE, null, null, null, 0, null);
    }

    static TranscriptChange deleted(UUID recording) {
        return new TranscriptChange(recording, Kind.DELETED, NONE, null, null, null, 0, null);
    }

    /** The change a notification's payload describes; null for a payload this version does not know. */
    static TranscriptChange parse(JsonNode payload) {
        UUID recording = UUID.fromString(payload.path("recording").asText());
        return switch (payload.path("kind").asText()) {
            case "segments" -> new TranscriptChange(recording, Kind.SEGMENTS, positions(payload.path("replaced")),
                    payload.path("replaced_from").isInt() ? payload.get("replaced_from").intValue() : null,
                    null, null, 0, null);
            case "transcript" -> new TranscriptChange(recording, Kind.TRANSCRIPT, NONE, null, null, null, 0, null);
            case "speaker_renamed" -> new TranscriptChange(recording, Kind.SPEAKER_RENAMED, NONE, null,
                    payload.path("from").isTextual() ? payload.get("from").textValue() : null,
                    payload.path("to").asText(), payload.path("renamed").asInt(), null);
            case "status" -> new TranscriptChange(recording, Kind.STATUS, NONE, null, null, null, 0,
                    payload.path("status").asText());
            case "deleted" -> deleted(recording);
            default -> null;
        };
    }

    private static int[] positions(JsonNode array) {
        if (!array.isArray()) {
            return NONE;
        }
        int[] positions = new int[array.size()];
        for (int index = 0; index < positions.length; index++) {
            positions[index] = array.get(index).asInt();
        }
        return positions;
    }
}
