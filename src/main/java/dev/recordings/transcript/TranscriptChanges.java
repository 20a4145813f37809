package dev.recordings.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What changed in a recording's transcript since a change number: the feed live streams and webhook announcements
 * both read ({@link TranscriptStore#changesSince}). New segments show in {@code count}; everything else in the logged
 * changes, numbered up to {@code changeSeq}.
 *
 * @param count the recording's segment count; null when the recording no longer exists
 * @param logged the logged changes after the number asked for, in order (some may have been pruned)
 */
public record TranscriptChanges(UUID recording, Integer count, Integer changeSeq, String status,
        List<TranscriptChange> logged) {

    public boolean deleted() {
        return count == null;
    }

    /**
     * The changes after number {@code seen}, each once and in order; null when one of them is no longer logged (it
     * was pruned before this reader saw it), so that anything the reader showed may be stale.
     */
    public List<TranscriptChange> after(int seen) {
        List<TranscriptChange> changes = new ArrayList<>();
        int expected = seen + 1;
        for (TranscriptChange change : logged) {
            if (change.seq() < expected) {
                continue;
            }
            if (change.seq() > expected) {
                break;
            }
            changes.add(change);
            expected++;
        }
        return expected <= changeSeq ? null : changes;
    }
}
