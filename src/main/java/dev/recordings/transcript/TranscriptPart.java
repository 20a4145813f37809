package dev.recordings.transcript;

import java.util.UUID;

/**
 * One chunk's share of a transcript read: either its text (to be joined to the others by one space) or its segments
 * as JSON array elements without the brackets (to be joined by {@code ", "}). A read gives every text part of a
 * recording, in order, before its segment parts.
 */
public record TranscriptPart(UUID recordingId, boolean segments, String content) {
}
