package dev.recordings.recording.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.recordings.recording.RecordingJson;
import dev.recordings.recording.Recording;

/**
 * The OpenAPI shape of a create's answer: the recording and the token the desktop SDK uploads with. The answer itself
 * is streamed by {@link RecordingJson}, with {@code upload_token} as its last field.
 */
@RegisterForReflection
@Schema(name = "DesktopRecordingCreated", allOf = Recording.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CreatedRecording(
        @JsonUnwrapped @Schema(hidden = true) Recording recording,
        @Schema(nullable = true, description = "Null when uploads are configured off.") String uploadToken) {
}
