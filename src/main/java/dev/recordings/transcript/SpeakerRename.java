package dev.recordings.transcript;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer to a speaker rename: how many segments changed, and the recording's participants after it. */
@RegisterForReflection
@Schema(name = "SpeakerRename")
public record SpeakerRename(
        @Schema(required = true, format = "uuid") UUID id,
        @Schema(required = true, description = "Segments whose speaker changed.") int renamed,
        @Schema(required = true, implementation = String[].class) @JsonRawValue String participants) {
}
