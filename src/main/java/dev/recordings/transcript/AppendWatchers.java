package dev.recordings.transcript;

import java.util.UUID;

/**
 * What on this replica watches appends as they commit (its live streams): whether a recording is watched, so that
 * only then the append asks for its segments back, and the segments an append stored, handed over after its commit.
 * Declared here and implemented by the live streams, so that the transcript does not depend on them.
 */
public interface AppendWatchers {

    boolean watches(UUID recording);

    void appended(SegmentsAppended appended);

    /**
     * Segments an append stored at positions {@code start} … {@code count} - 1 (JSON texts joined by commas), with
     * the recording's change number as the append left it.
     */
    record SegmentsAppended(UUID recording, int start, int count, int changeSeq, String segments) {
    }
}
