package dev.recordings.recording.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.recordings.transcript.SegmentSearch;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of the search across recordings, with absolute links to its neighbours, like the list's. */
@RegisterForReflection
@Schema(name = "PaginatedSegmentSearchList")
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SegmentSearchPage(
        @Schema(required = true) long count,
        @Schema(required = true, nullable = true, format = "uri") String next,
        @Schema(required = true, nullable = true, format = "uri") String previous,
        @Schema(required = true) List<SegmentSearch.Hit> results) {
}
