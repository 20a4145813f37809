package dev.recordings.http;

import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * An answer written piece by piece as its pieces arrive (see {@link StreamedBodyWriter}), so that a large answer
 * never has to be held whole in memory: a JSON document, or a transcript file.
 */
public record StreamedBody(Multi<Buffer> pieces) {
}
