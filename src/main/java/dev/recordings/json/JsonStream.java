package dev.recordings.json;

import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * A JSON answer written piece by piece as its pieces arrive (see {@link JsonStreamWriter}), so that a large answer
 * never has to be held whole in memory. The pieces, concatenated, are one JSON document.
 */
public record JsonStream(Multi<Buffer> pieces) {
}
