package dev.recordings.recording;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Validated field values for a create or an update, each ready to be written into a recording. */
public final class RecordingChanges {

    private final List<Consumer<Recording>> writes = new ArrayList<>();
    private boolean hasPlatform;
    private String transcriptSegments;

    void add(RecordingFields.Field<?> field, Consumer<Recording> write) {
        writes.add(write);
        hasPlatform |= field == RecordingFields.PLATFORM;
    }

    void replaceTranscript(String segments) {
        transcriptSegments = segments;
    }

    boolean hasPlatform() {
        return hasPlatform;
    }

    /** The JSON text of the validated segments that replace the whole transcript, or null to keep it. */
    public String transcriptSegments() {
        return transcriptSegments;
    }

    /** Writes every changed field into the recording; the fields left out keep their values. */
    void applyTo(Recording recording) {
        writes.forEach(write -> write.accept(recording));
    }
}
