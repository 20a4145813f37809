package dev.recordings.transcript.stream;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A change a live stream shows: which recording, and what changed. New segments are seen in the recording's count;
 * every other change is a row of transcript_change_log, written by the transcript functions and the status trigger
 * (V7__live_changes_polled.sql). Streams read the segments themselves; the change carries only what they cannot read
 * back (a rename's names, the new status).
 */
record TranscriptChange(UUID recording, Kind kind, int[] replaced, Integer replacedFrom, String from, String to,
        int renamed, String status) {

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

    /** New segments to read, or more than one read took. */
    static TranscriptChange more(UUID recording) {
        return new TranscriptChange(recording, Kind.SEGMENTS, NONE, null, null, null, 0, null);
    }

    static TranscriptChange deleted(UUID recording) {
        return new TranscriptChange(recording, Kind.DELETED, NONE, null, null, null, 0, null);
    }

    /** Anything sent may be stale: the whole transcript is sent again. */
    static TranscriptChange rewritten(UUID recording) {
        return new TranscriptChange(recording, Kind.TRANSCRIPT, NONE, null, null, null, 0, null);
    }

    static TranscriptChange status(UUID recording, String status) {
        return new TranscriptChange(recording, Kind.STATUS, NONE, null, null, null, 0, status);
    }

    /** The change a change log row describes; null for a kind this version does not know. */
    static TranscriptChange parse(UUID recording, JsonNode payload) {
        return switch (payload.path("kind").asText()) {
            case "segments" -> new TranscriptChange(recording, Kind.SEGMENTS, positions(payload.path("replaced")),
                    payload.path("replaced_from").isInt() ? payload.get("replaced_from").intValue() : null,
                    null, null, 0, null);
            case "transcript" -> rewritten(recording);
            case "speaker_renamed" -> new TranscriptChange(recording, Kind.SPEAKER_RENAMED, NONE, null,
                    payload.path("from").isTextual() ? payload.get("from").textValue() : null,
                    payload.path("to").asText(), payload.path("renamed").asInt(), null);
            case "status" -> status(recording, payload.path("status").asText());
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
