package dev.recordings.error;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The error body of the contract, the same for every failure. */
@RegisterForReflection
@Schema(name = "Error", description = "Every error answer has this shape.")
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiError(
        @Schema(examples = "validation_error") String type,
        @Schema(examples = "blank") String code,
        @Schema(examples = "This field may not be blank.") String detail,
        @Schema(nullable = true, examples = "segments__0__text") String attr) {
}
