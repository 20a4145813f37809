package dev.recordings.transcript;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Search across a project's recordings for segments whose text contains a phrase. */
public final class SegmentSearch {

    /** The phrase's length after trimming, in characters. */
    public static final int SHORTEST = 3;
    public static final int LONGEST = 200;

    private SegmentSearch() {
    }

    /** A validated search; a null filter does not filter. */
    public record Query(String phrase, String speaker, UUID recordingId, String platform, String status, int limit,
            long offset) {
    }

    /** One page of hits and the total count. */
    public record Page(long count, List<Hit> hits) {
    }

    /** A segment that contains the phrase, with its recording and its position in the transcript. */
    @RegisterForReflection
    @Schema(name = "SegmentSearchHit")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Hit(
            @Schema(required = true, format = "uuid") UUID recordingId,
            @Schema(required = true, nullable = true) String meetingTitle,
            @Schema(required = true) OffsetDateTime startedAt,
            @Schema(required = true, description = "The segment's position in its transcript, from 0.") int index,
            @Schema(required = true, nullable = true, type = org.eclipse.microprofile.openapi.annotations.enums
                    .SchemaType.NUMBER) @JsonRawValue String timestamp,
            @Schema(required = true, nullable = true) String speaker,
            @Schema(required = true) String text,
            @Schema(required = true, nullable = true) Boolean isFinal) {
    }
}
