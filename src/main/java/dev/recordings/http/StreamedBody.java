package dev.recordings.http;

import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * An answer written piece by piece as its pieces arrive (see {@link StreamedBodyWriter}), so that a large answer
 * never has to be held whole in memory: a JSON document, or a transcript file. A live answer (server-sent events)
 * sends each piece as soon as it comes; the others gather small pieces into larger writes.
 */
public record StreamedBody(Multi<Buffer> pieces, boolean live) {

    public StreamedBody(Multi<Buffer> pieces) {
        this(pieces, false);
    }

    public static StreamedBody live(Multi<Buffer> events) {
        return new StreamedBody(events, true);
    }
}
