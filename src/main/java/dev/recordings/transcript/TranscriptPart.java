package dev.recordings.transcript;

import java.util.UUID;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.vertx.mutiny.core.buffer.Buffer;

/**
 * One chunk's share of a transcript read, as UTF-8 ready for the JSON answer: either its text, escaped for a JSON
 * string (to be joined to the others by one space), or its segments as JSON array elements without the brackets (to
 * be joined by {@code ", "}). A read gives every text part of a recording, in order, before its segment parts. The
 * bytes may be shared with the replica's cache of closed chunks: read them, never write to them.
 */
public record TranscriptPart(UUID recordingId, boolean segments, Buffer json) {

    /** A chunk's text, as the database stores it. */
    public static TranscriptPart text(UUID recordingId, String text) {
        return new TranscriptPart(recordingId, false, Buffer.buffer(JsonStringEncoder.getInstance().quoteAsUTF8(text)));
    }

    /** A segments part as one JSON array. */
    public Buffer segmentsArray() {
        return Buffer.buffer("[").appendBuffer(json).appendString("]");
    }

    /** A chunk's segments, as the database gives them: JSON array elements without the brackets. */
    public static TranscriptPart segments(UUID recordingId, String segments) {
        return new TranscriptPart(recordingId, true, Buffer.buffer(segments));
    }
}
