package dev.recordings.recording.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recordings.http.StreamedBody;
import dev.recordings.json.JsonPieces;
import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingRepository;
import dev.recordings.transcript.TranscriptExport;
import dev.recordings.transcript.TranscriptExport.Format;
import dev.recordings.transcript.TranscriptExport.Segment;
import dev.recordings.transcript.TranscriptPart;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The export of a transcript, streamed chunk by chunk like every recording answer: {@code json} as the stored
 * segments, the other formats through {@link TranscriptExport}, one chunk's segments at a time.
 */
@ApplicationScoped
public class TranscriptFile {

    private final ObjectMapper mapper;

    public TranscriptFile(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The file of the one recording of {@code read}, whose parts are its segments alone. */
    public StreamedBody of(RecordingRepository.Read read, Format format) {
        Recording recording = read.recordings().get(0);
        Multi<TranscriptPart> parts = read.transcripts();
        if (format == Format.JSON) {
            JsonPieces pieces = new JsonPieces(mapper.getFactory());
            Buffer opening = pieces.write(json -> {
                json.writeStartObject();
                json.writeStringField("id", recording.id.toString());
                json.writeNumberField("segment_count", recording.segmentCount);
                json.writeArrayFieldStart("segments");
            });
            boolean[] first = { true };
            return new StreamedBody(Multi.createBy().concatenating().streams(
                    Multi.createFrom().item(opening),
                    parts.map(part -> {
                        // the chunks' segments are JSON array elements already: sent as they are, comma-joined
                        Buffer piece = Buffer.buffer(first[0] ? "" : ", ").appendBuffer(part.json());
                        first[0] = false;
                        return piece;
                    }),
                    Multi.createFrom().item(() -> pieces.write(json -> {
                        json.writeEndArray();
                        json.writeEndObject();
                    }))));
        }
        TranscriptExport.Writer writer = TranscriptExport.writer(format);
        return new StreamedBody(Multi.createBy().concatenating().streams(
                Multi.createFrom().item(() -> utf8(writer.start())),
                parts.map(part -> {
                    StringBuilder text = new StringBuilder();
                    for (JsonNode segment : segments(part)) {
                        text.append(writer.next(segment(segment)));
                    }
                    return utf8(text.toString());
                }),
                Multi.createFrom().item(() -> utf8(writer.end()))));
    }

    private JsonNode segments(TranscriptPart part) {
        try {
            return mapper.readTree(part.segmentsArray().getBytes());
        } catch (IOException e) {
            throw new IllegalStateException("stored segments that are not JSON", e);
        }
    }

    private static Segment segment(JsonNode segment) {
        JsonNode timestamp = segment.path("timestamp");
        JsonNode speaker = segment.path("speaker");
        JsonNode isFinal = segment.path("is_final");
        return new Segment(timestamp.isNumber() ? timestamp.doubleValue() : null,
                speaker.isTextual() ? speaker.textValue() : null, segment.path("text").asText(),
                isFinal.isBoolean() ? isFinal.booleanValue() : null);
    }

    private static Buffer utf8(String text) {
        return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
