package dev.recordings.recording.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.recordings.recording.RecordingJson;
import dev.recordings.recording.Recording;

/**
 * The OpenAPI shape of one page of the list, with absolute links to its neighbours; the page itself is streamed by
 * {@link RecordingJson}.
 */
@RegisterForReflection
@Schema(name = "PaginatedDesktopRecordingList")
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RecordingPage(
        long count,
        @Schema(nullable = true, format = "uri") String next,
        @Schema(nullable = true, format = "uri") String previous,
        List<Recording> results) {
}
