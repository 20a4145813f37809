package dev.recordings.transcript;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One numbered row of transcript_change_log, typed: what the transcript functions and the status trigger logged
 * beyond the new segments, which show in the recording's count (V7__live_changes_polled.sql). The only reader of the
 * log's JSON; live streams and the webhook announcements take these.
 *
 * @param seq the change's number in its recording
 * @param replaced positions replaced in place by a {@link Kind#SEGMENTS} batch
 * @param replacedFrom for a batch that moved segments, the first position that may differ; null otherwise
 * @param from a rename's old name (null: segments without a speaker)
 * @param to a rename's new name
 * @param renamed how many segments a rename changed
 */
public record TranscriptChange(int seq, Kind kind, int[] replaced, Integer replacedFrom, String from, String to,
        int renamed, String status) {

    public enum Kind {
        /** Segments replaced in place (or appended past a gap). */
        SEGMENTS,
        /** The whole transcript replaced (PUT or PATCH of transcript_segments). */
        TRANSCRIPT,
        SPEAKER_RENAMED,
        STATUS,
        /** A kind a newer version logs and this one does not know: skipped, its number still counted. */
        UNKNOWN
    }

    private static final int[] NONE = new int[0];

    static TranscriptChange parse(JsonObject logged) {
        int seq = logged.getInteger("seq");
        return switch (String.valueOf(logged.getValue("kind"))) {
            case "segments" -> new TranscriptChange(seq, Kind.SEGMENTS, positions(logged.getValue("replaced")),
                    logged.getValue("replaced_from") instanceof Number from ? from.intValue() : null,
                    null, null, 0, null);
            case "transcript" -> new TranscriptChange(seq, Kind.TRANSCRIPT, NONE, null, null, null, 0, null);
            case "speaker_renamed" -> new TranscriptChange(seq, Kind.SPEAKER_RENAMED, NONE, null,
                    logged.getValue("from") instanceof String from ? from : null,
                    String.valueOf(logged.getValue("to")),
                    logged.getValue("renamed") instanceof Number renamed ? renamed.intValue() : 0, null);
            case "status" -> new TranscriptChange(seq, Kind.STATUS, NONE, null, null, null, 0,
                    String.valueOf(logged.getValue("status")));
            default -> new TranscriptChange(seq, Kind.UNKNOWN, NONE, null, null, null, 0, null);
        };
    }

    private static int[] positions(Object value) {
        if (!(value instanceof JsonArray array)) {
            return NONE;
        }
        int[] positions = new int[array.size()];
        for (int index = 0; index < positions.length; index++) {
            positions[index] = ((Number) array.getValue(index)).intValue();
        }
        return positions;
    }
}
