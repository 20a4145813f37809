package dev.recordings.recording;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.http.StreamedBody;
import dev.recordings.json.JsonPieces;
import dev.recordings.transcript.TranscriptPart;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The API's recording JSON, written as a stream by one Jackson generator per answer: each recording's fields in the
 * order {@link RecordingFields} declares, and its transcript ({@code transcript_text}, then
 * {@code transcript_segments}) where that order puts it. The transcript's parts arrive already in JSON (escaped text,
 * segments) and are sent as they are, between what the generator writes: the generator holds the structure (braces,
 * commas, field names), so a part is never spliced into text that was written and cut apart.
 */
@ApplicationScoped
public class RecordingJson {

    /** The names of the answer's fields, in order (the API document is checked against them). */
    static List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        for (RecordingFields.Field<?> field : RecordingFields.ALL) {
            names.add(field.name());
            if (field == RecordingFields.TRANSCRIPT_AFTER) {
                names.addAll(List.of("transcript_text", "transcript_segments"));
            }
        }
        return names;
    }

    private final ObjectMapper mapper;

    public RecordingJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One recording, with extra fields at its end (the create's upload token). */
    public StreamedBody recording(RecordingRepository.Read read, Map<String, ?> extraFields) {
        Writer writer = new Writer(read.recordings(), extraFields);
        return new StreamedBody(writer.write(read.transcripts(), Buffer.buffer()));
    }

    /** The recording without its transcript, with its {@code segment_count}: what an assistant is shown. */
    public ObjectNode summary(Recording recording) {
        ObjectNode summary = mapper.createObjectNode();
        for (RecordingFields.Field<?> field : RecordingFields.ALL) {
            summary.set(field.name(), field.tree(mapper, recording));
        }
        summary.set(RecordingFields.SEGMENT_COUNT.name(), RecordingFields.SEGMENT_COUNT.tree(mapper, recording));
        return summary;
    }

    /** A page of the list: {@code {"count": …, "next": …, "previous": …, "results": [ … ]}}. */
    public StreamedBody page(RecordingRepository.Read read, String next, String previous) {
        Writer writer = new Writer(read.recordings(), Map.of());
        Buffer opening = writer.pieces.write(json -> {
            json.writeStartObject();
            json.writeNumberField("count", read.count());
            json.writeStringField("next", next);
            json.writeStringField("previous", previous);
            json.writeArrayFieldStart("results");
        });
        writer.atEnd = json -> {
            json.writeEndArray();
            json.writeEndObject();
        };
        return new StreamedBody(writer.write(read.transcripts(), opening));
    }

    /** Follows the cursor's parts through the recordings, which the parts name in the same order. */
    private final class Writer {

        private final List<Recording> recordings;
        private final Map<String, ?> extraFields;
        private final JsonPieces pieces = new JsonPieces(mapper.getFactory());
        private JsonPieces.Generation atEnd = json -> {
        };
        private int opened;
        private boolean inSegments;

        Writer(List<Recording> recordings, Map<String, ?> extraFields) {
            this.recordings = recordings;
            this.extraFields = extraFields;
        }

        Multi<Buffer> write(Multi<TranscriptPart> parts, Buffer opening) {
            return Multi.createBy().concatenating().streams(
                    Multi.createFrom().item(opening),
                    parts.onItem().transformToIterable(this::part),
                    Multi.createFrom().deferred(() -> Multi.createFrom().iterable(finish())))
                    .filter(buffer -> buffer.length() > 0);
        }

        private List<Buffer> part(TranscriptPart part) {
            boolean sameField = opened > 0 && recordings.get(opened - 1).id.equals(part.recordingId())
                    && part.segments() == inSegments;
            if (sameField) {
                // the common case, a further part of the same field: its separator, and no structure to write
                return List.of(Buffer.buffer(inSegments ? ", " : " "), part.json());
            }
            List<Buffer> written = new ArrayList<>(2);
            written.add(pieces.write(json -> {
                if (opened == 0 || !recordings.get(opened - 1).id.equals(part.recordingId())) {
                    if (opened > 0) {
                        close(json);
                    }
                    while (!recordings.get(opened).id.equals(part.recordingId())) {
                        open(json);
                        close(json);
                    }
                    open(json);
                }
                if (part.segments() && !inSegments) {
                    startSegments(json);
                }
            }));
            written.add(part.json());
            return written;
        }

        private List<Buffer> finish() {
            return List.of(pieces.write(json -> {
                if (opened > 0) {
                    close(json);
                }
                while (opened < recordings.size()) {
                    open(json);
                    close(json);
                }
                atEnd.write(json);
            }));
        }

        /** The recording's fields up to the transcript, and the opening quote of its text. */
        private void open(JsonGenerator json) throws IOException {
            Recording recording = recordings.get(opened++);
            json.writeStartObject();
            for (RecordingFields.Field<?> field : RecordingFields.ALL) {
                field.write(mapper, json, recording);
                if (field == RecordingFields.TRANSCRIPT_AFTER) {
                    break;
                }
            }
            json.writeFieldName("transcript_text");
            // the text's parts come escaped and are sent between the quotes: the generator counts the value written
            json.writeRawValue("\"");
            inSegments = false;
        }

        private void startSegments(JsonGenerator json) throws IOException {
            json.writeRaw('"');
            json.writeArrayFieldStart("transcript_segments");
            inSegments = true;
        }

        /** The end of the open recording: its segments' closing bracket and the fields after the transcript. */
        private void close(JsonGenerator json) throws IOException {
            if (!inSegments) {
                startSegments(json);
            }
            json.writeEndArray();
            Recording recording = recordings.get(opened - 1);
            boolean after = false;
            for (RecordingFields.Field<?> field : RecordingFields.ALL) {
                if (after) {
                    field.write(mapper, json, recording);
                }
                after |= field == RecordingFields.TRANSCRIPT_AFTER;
            }
            for (Map.Entry<String, ?> extra : extraFields.entrySet()) {
                json.writeFieldName(extra.getKey());
                mapper.writeValue(json, extra.getValue());
            }
            json.writeEndObject();
            inSegments = false;
        }
    }
}
