package dev.recordings.recording;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.http.StreamedBody;
import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingRepository;
import dev.recordings.transcript.TranscriptPart;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The API's recording JSON, written as a stream: each recording's fields in the order {@link #FIELDS} declares, by a
 * Jackson generator, and its transcript ({@code transcript_text}, then {@code transcript_segments}) where that order
 * puts it, chunk by chunk as the transcript's parts come, already in JSON.
 */
@ApplicationScoped
public class RecordingJson {

    /** One field of the answer: its name and how its value is written. */
    private record Field(String name, FieldWriter writer) {
    }

    @FunctionalInterface
    private interface FieldWriter {
        void write(ObjectMapper mapper, JsonGenerator json, Recording recording) throws IOException;
    }

    /** Where the transcript's two fields go. */
    private static final Field TRANSCRIPT = new Field("transcript_text, transcript_segments", null);

    /** The recording's fields, in the API's order. */
    private static final List<Field> FIELDS = List.of(
            value("id", recording -> recording.id),
            value("team", recording -> recording.projectId),
            value("created_by", recording -> recording.createdBy),
            value("sdk_upload_id", recording -> recording.sdkUploadId),
            value("recall_recording_id", recording -> recording.recallRecordingId),
            value("platform", recording -> recording.platform),
            value("meeting_title", recording -> recording.meetingTitle),
            value("meeting_url", recording -> recording.meetingUrl),
            value("duration_seconds", recording -> recording.durationSeconds),
            value("status", recording -> recording.status),
            value("notes", recording -> recording.notes),
            value("error_message", recording -> recording.errorMessage),
            value("video_url", recording -> recording.videoUrl),
            value("video_size_bytes", recording -> recording.videoSizeBytes),
            json("participants", recording -> recording.participants),
            TRANSCRIPT,
            value("summary", recording -> recording.summary),
            json("extracted_tasks", recording -> recording.extractedTasks),
            value("tasks_generated_at", recording -> recording.tasksGeneratedAt),
            value("summary_generated_at", recording -> recording.summaryGeneratedAt),
            value("started_at", recording -> recording.startedAt),
            value("completed_at", recording -> recording.completedAt),
            value("created_at", recording -> recording.createdAt),
            value("updated_at", recording -> recording.updatedAt));

    /** The names of the answer's fields, in order (the API document is checked against them). */
    static List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        for (Field field : FIELDS) {
            names.addAll(field == TRANSCRIPT ? List.of("transcript_text", "transcript_segments")
                    : List.of(field.name()));
        }
        return names;
    }

    private static Field value(String name, Function<Recording, Object> value) {
        return new Field(name, (mapper, json, recording) -> mapper.writeValue(json, value.apply(recording)));
    }

    /** A JSON column, written as the database's JSON text. */
    private static Field json(String name, Function<Recording, String> text) {
        return new Field(name, (mapper, json, recording) -> json.writeRawValue(text.apply(recording)));
    }

    private final ObjectMapper mapper;

    public RecordingJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One recording, with extra fields at its end (the create's upload token). */
    public StreamedBody recording(RecordingRepository.Read read, Map<String, ?> extraFields) {
        return new StreamedBody(new Writer(read.recordings(), extraFields).write(read.transcripts()));
    }

    /** The recording without its transcript, with its {@code segment_count}: what an assistant is shown. */
    public ObjectNode summary(Recording recording) {
        Map<String, Object> count = new java.util.HashMap<>();
        count.put("segment_count", recording.segmentCount);
        Buffer[] split = split(recording, count);
        try {
            return (ObjectNode) mapper.readTree(split[0].appendBuffer(split[1]).getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page of the list: {@code {"count": …, "next": …, "previous": …, "results": [ … ]}}. */
    public StreamedBody page(RecordingRepository.Read read, String next, String previous) {
        ObjectNode envelope = mapper.createObjectNode();
        envelope.put("count", read.count());
        envelope.put("next", next);
        envelope.put("previous", previous);
        envelope.putArray("results");
        byte[] whole;
        try {
            whole = mapper.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        // everything up to the results array's opening bracket, and its closing bracket with the object's
        Buffer opening = Buffer.buffer(whole).getBuffer(0, whole.length - 2);
        return new StreamedBody(Multi.createBy().concatenating().streams(
                Multi.createFrom().item(opening),
                new Writer(read.recordings(), Map.of()).write(read.transcripts()),
                Multi.createFrom().item(Buffer.buffer("]}"))));
    }

    /** Follows the cursor's parts through the recordings, which the parts name in the same order. */
    private final class Writer {

        private final List<Recording> recordings;
        private final Map<String, ?> extraFields;
        private int opened;
        private boolean inSegments;
        private boolean firstOfField;
        /** The end of the open recording: its segments' closing bracket and the fields after the transcript. */
        private Buffer closing;

        Writer(List<Recording> recordings, Map<String, ?> extraFields) {
            this.recordings = recordings;
            this.extraFields = extraFields;
        }

        Multi<Buffer> write(Multi<TranscriptPart> parts) {
            return Multi.createBy().concatenating().streams(
                    parts.onItem().transformToIterable(this::part),
                    Multi.createFrom().deferred(() -> Multi.createFrom().iterable(finish())));
        }

        private List<Buffer> part(TranscriptPart part) {
            List<Buffer> pieces = new ArrayList<>(3);
            if (opened == 0 || !recordings.get(opened - 1).id.equals(part.recordingId())) {
                if (opened > 0) {
                    close(pieces);
                }
                while (!recordings.get(opened).id.equals(part.recordingId())) {
                    open(pieces);
                    close(pieces);
                }
                open(pieces);
            }
            if (part.segments() && !inSegments) {
                pieces.add(Buffer.buffer("\",\"transcript_segments\":["));
                inSegments = true;
                firstOfField = true;
            }
            if (!firstOfField) {
                pieces.add(Buffer.buffer(inSegments ? ", " : " "));
            }
            firstOfField = false;
            pieces.add(part.json());
            return pieces;
        }

        private List<Buffer> finish() {
            List<Buffer> pieces = new ArrayList<>();
            if (opened > 0) {
                close(pieces);
            }
            while (opened < recordings.size()) {
                open(pieces);
                close(pieces);
            }
            return pieces;
        }

        private void open(List<Buffer> pieces) {
            Buffer[] split = split(recordings.get(opened), extraFields);
            pieces.add(Buffer.buffer(opened > 0 ? "," : "").appendBuffer(split[0])
                    .appendString(",\"transcript_text\":\""));
            closing = Buffer.buffer("]").appendBuffer(split[1]);
            opened++;
            inSegments = false;
            firstOfField = true;
        }

        private void close(List<Buffer> pieces) {
            if (!inSegments) {
                pieces.add(Buffer.buffer("\",\"transcript_segments\":["));
            }
            pieces.add(closing);
            inSegments = false;
        }
    }

    /**
     * The recording's JSON without its transcript, split where the transcript goes: the fields before it (from the
     * opening brace), and those after it with the extra fields and the closing brace (from the comma before the
     * first of them).
     */
    private Buffer[] split(Recording recording, Map<String, ?> extraFields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            int before = -1;
            for (Field field : FIELDS) {
                if (field == TRANSCRIPT) {
                    json.flush();
                    before = out.size();
                    continue;
                }
                json.writeFieldName(field.name());
                field.writer().write(mapper, json, recording);
            }
            for (Map.Entry<String, ?> extra : extraFields.entrySet()) {
                json.writeFieldName(extra.getKey());
                mapper.writeValue(json, extra.getValue());
            }
            json.writeEndObject();
            json.flush();
            byte[] bytes = out.toByteArray();
            return new Buffer[] { Buffer.buffer(bytes).getBuffer(0, before),
                    Buffer.buffer(bytes).getBuffer(before, bytes.length) };
        } catch (IOException e) {
            throw new UncheckedIOException("a recording that cannot be written as JSON", e);
        }
    }
}
