package dev.recordings.recall;

import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * What a Recall.ai event does to its recording, declared here and implemented by the recording package (which owns
 * desktop_recordings and depends on this one for uploads): the status moves forward only.
 */
public interface RecordingStatusMoves {

    /** Whether a recording was found for the event, and whether its status moved. */
    record Move(boolean known, boolean applied) {
    }

    /**
     * In the caller's transaction: the recording with this SDK upload id (or, failing that, this id) takes the
     * status if it moves forward (recording, uploading, processing, ready; error from any but error), with
     * Recall.ai's recording id when given and, for an error, its message.
     */
    Uni<Move> moveForward(SqlClient transaction, UUID sdkUploadId, UUID recordingId, String status,
            UUID recallRecordingId, String errorMessage);
}
