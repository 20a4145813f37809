package dev.recordings.transcript;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to an append with {@code Prefer: return=minimal}: what the batch did, without the transcript. */
@RegisterForReflection
@Schema(name = "AppendSegmentsMinimal")
public record AppendResult(
        @Schema(format = "uuid") UUID id,
        @Schema(description = "Segments stored after the batch.") int segmentCount,
        @Schema(description = "Segments of the batch added at the end.") int appended,
        @Schema(description = "Segments of the batch that replaced one with the same id.") int replaced,
        @Schema(description = "Segments of the batch dropped as retries.") int dropped,
        OffsetDateTime updatedAt) {
}
