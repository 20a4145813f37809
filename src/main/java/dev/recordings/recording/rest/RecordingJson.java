package dev.recordings.recording.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.http.StreamedBody;
import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingRepository;
import dev.recordings.transcript.TranscriptPart;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The API's recording JSON, written as a stream: each recording's metadata by Jackson, and its transcript
 * ({@code transcript_text}, then {@code transcript_segments}, between {@code participants} and {@code summary}) chunk
 * by chunk as the database cursor gives it. The bytes are the ones a whole-object serialisation would give: text
 * escaped by Jackson, segments as stored.
 */
@ApplicationScoped
public class RecordingJson {

    /**
     * The key of the field the transcript's two fields are written before: a recording is serialised once, and split
     * there.
     */
    private static final byte[] AFTER_TRANSCRIPT = ",\"summary\":".getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper mapper;

    public RecordingJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One recording, with extra fields at its end (the create's upload token). */
    public StreamedBody recording(RecordingRepository.Read read, Map<String, ?> extraFields) {
        return new StreamedBody(new Writer(read.recordings(), extraFields).write(read.transcripts()));
    }

    /** A page of the list: {@code {"count": …, "next": …, "previous": …, "results": [ … ]}}. */
    public StreamedBody page(RecordingRepository.Read read, String next, String previous) {
        ObjectNode envelope = mapper.createObjectNode();
        envelope.put("count", read.count());
        envelope.put("next", next);
        envelope.put("previous", previous);
        envelope.putArray("results");
        byte[] whole = bytes(envelope);
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
            pieces.add(inSegments ? Buffer.buffer(part.content())
                    : Buffer.buffer(JsonStringEncoder.getInstance().quoteAsUTF8(part.content())));
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
            byte[] json = bytes(recordings.get(opened));
            int split = indexOf(json, AFTER_TRANSCRIPT);
            pieces.add(Buffer.buffer(opened > 0 ? "," : "").appendBytes(json, 0, split)
                    .appendString(",\"transcript_text\":\""));
            closing = Buffer.buffer("],").appendBytes(json, split + 1, json.length - split - 1);
            if (!extraFields.isEmpty()) {
                closing = closing.getBuffer(0, closing.length() - 1);
                extraFields.forEach((name, value) -> closing.appendString(",").appendBytes(bytes(name))
                        .appendString(":").appendBytes(bytes(value)));
                closing.appendString("}");
            }
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

    private byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a value that cannot be written as JSON", e);
        }
    }

    /**
     * Where {@code target} first occurs. Used to find a field's key in a serialised object: a key's {@code ,"} cannot
     * occur inside a string value (a quote in a string is always escaped), so its first occurrence is the key.
     */
    static int indexOf(byte[] json, byte[] target) {
        outer: for (int start = 0; start <= json.length - target.length; start++) {
            for (int i = 0; i < target.length; i++) {
                if (json[start + i] != target[i]) {
                    continue outer;
                }
            }
            return start;
        }
        throw new IllegalStateException("a recording's JSON without its " + new String(target,
                StandardCharsets.UTF_8) + " field");
    }

}
