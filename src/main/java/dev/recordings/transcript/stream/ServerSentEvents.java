package dev.recordings.transcript.stream;

import java.util.UUID;

import dev.recordings.json.JsonPieces;

/**
 * The text of the live transcript's events (the server-sent events format: {@code event}, {@code id} and one
 * {@code data} line of JSON, then a blank line). Segments arrive as the JSON text PostgreSQL stores, which never
 * holds a line break, so they are copied as they are.
 */
final class ServerSentEvents {

    static final String KEEP_ALIVE = ": keep-alive\n\n";

    private ServerSentEvents() {
    }

    /** Segments at positions start … id - 1, given as JSON texts joined by commas. */
    static String segments(int id, int start, String segments) {
        return segmentsOpening(id, start) + segments + SEGMENTS_CLOSING;
    }

    /**
     * The beginning of a segments event whose segments follow in pieces, each {@code ,}-joined, then
     * {@link #SEGMENTS_CLOSING}: the segments are PostgreSQL's JSON texts, sent as they are between the two.
     */
    static String segmentsOpening(int id, int start) {
        return "event: segments\nid: " + id + "\ndata: " + JsonPieces.text(json -> {
            json.writeStartObject();
            json.writeNumberField("start", start);
            json.writeArrayFieldStart("segments");
        });
    }

    /** What {@link #segmentsOpening} left open: the array, the object and the event. */
    static final String SEGMENTS_CLOSING = "]}\n\n";

    static String replaced(int id, int index, String segment) {
        return "event: replaced\nid: " + id + "\ndata: " + JsonPieces.text(json -> {
            json.writeStartObject();
            json.writeNumberField("index", index);
            json.writeFieldName("segment");
            json.writeRawValue(segment);
            json.writeEndObject();
        }) + "\n\n";
    }

    static String speakerRenamed(String from, String to, int renamed) {
        return "event: speaker_renamed\ndata: " + JsonPieces.text(json -> {
            json.writeStartObject();
            json.writeStringField("from", from);
            json.writeStringField("to", to);
            json.writeNumberField("renamed", renamed);
            json.writeEndObject();
        }) + "\n\n";
    }

    static String status(String status) {
        return "event: status\ndata: " + JsonPieces.text(json -> {
            json.writeStartObject();
            json.writeStringField("status", status);
            json.writeEndObject();
        }) + "\n\n";
    }

    static String deleted(UUID recording) {
        return "event: deleted\ndata: " + JsonPieces.text(json -> {
            json.writeStartObject();
            json.writeStringField("id", recording.toString());
            json.writeEndObject();
        }) + "\n\n";
    }
}
