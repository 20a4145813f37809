package dev.recordings.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.vertx.mutiny.core.buffer.Buffer;

/**
 * One Jackson generator whose output is taken piece by piece: for answers streamed with parts that are already JSON
 * (a transcript's chunks as PostgreSQL stores them), which are sent as they are between the pieces. The generator
 * holds the structure (braces, commas, field names); a part goes where the generator has just opened a value, an
 * array or a string ({@link JsonGenerator#writeRawValue} of an opening quote).
 */
public final class JsonPieces {

    /** What to write next. */
    @FunctionalInterface
    public interface Generation {
        void write(JsonGenerator json) throws IOException;
    }

    private static final JsonFactory PLAIN = new JsonFactory();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    private final JsonGenerator json;

    /** {@code factory}: the application's (its mapper's, for values of the API's types). */
    public JsonPieces(JsonFactory factory) {
        try {
            this.json = factory.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes, and answers what was written since the last piece. */
    public Buffer write(Generation generation) {
        try {
            generation.write(json);
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("a value that cannot be written as JSON", e);
        }
        Buffer written = Buffer.buffer(out.toByteArray());
        out.reset();
        return written;
    }

    /** One small JSON text of plain values (strings, numbers, null), written by a generator. */
    public static String text(Generation generation) {
        return new JsonPieces(PLAIN).write(generation).toString();
    }
}
