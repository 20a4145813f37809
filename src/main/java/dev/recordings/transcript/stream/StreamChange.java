package dev.recordings.transcript.stream;

import java.util.UUID;

import dev.recordings.transcript.TranscriptChange;

/**
 * A change a live stream queues: a logged {@link TranscriptChange}, or what the stream learns otherwise (more
 * segments in the count, the recording gone, its log pruned). Streams read the segments themselves; the change
 * carries only what they cannot read back (a rename's names, the new status).
 */
record StreamChange(UUID recording, Kind kind, int[] replaced, Integer replacedFrom, String from, String to,
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
    static StreamChange more(UUID recording) {
        return new StreamChange(recording, Kind.SEGMENTS, NONE, null, null, null, 0, null);
    }

    static StreamChange deleted(UUID recording) {
        return new StreamChange(recording, Kind.DELETED, NONE, null, null, null, 0, null);
    }

    /** Anything sent may be stale: the whole transcript is sent again. */
    static StreamChange rewritten(UUID recording) {
        return new StreamChange(recording, Kind.TRANSCRIPT, NONE, null, null, null, 0, null);
    }

    static StreamChange status(UUID recording, String status) {
        return new StreamChange(recording, Kind.STATUS, NONE, null, null, null, 0, status);
    }

    /** The change a logged one makes a stream show; null for a kind this version does not know. */
    static StreamChange of(UUID recording, TranscriptChange logged) {
        return switch (logged.kind()) {
            case SEGMENTS -> new StreamChange(recording, Kind.SEGMENTS, logged.replaced(), logged.replacedFrom(),
                    null, null, 0, null);
            case TRANSCRIPT -> rewritten(recording);
            case SPEAKER_RENAMED -> new StreamChange(recording, Kind.SPEAKER_RENAMED, NONE, null, logged.from(),
                    logged.to(), logged.renamed(), null);
            case STATUS -> status(recording, logged.status());
            case UNKNOWN -> null;
        };
    }
}
