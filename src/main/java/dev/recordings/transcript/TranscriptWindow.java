package dev.recordings.transcript;

import java.util.List;

/**
 * A part of a transcript as stored at one moment: its segment count, the number of its last logged change (see
 * {@code transcript_change_log}), the segments at positions {@code from} to {@code end} (exclusive) as JSON texts
 * joined by commas, and segments at other positions asked for.
 */
public record TranscriptWindow(int count, int changeSeq, int from, int end, String segments,
        List<Replaced> replaced) {

    /** The segments from {@code from} to {@code end} as one JSON array. */
    public String segmentsArray() {
        return "[" + segments + "]";
    }

    /** A segment at a position, as JSON text. */
    public record Replaced(int position, String segment) {
    }
}
