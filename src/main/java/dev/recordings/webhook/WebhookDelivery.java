package dev.recordings.webhook;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One event for one endpoint, and how its delivery went. */
@RegisterForReflection
@Schema(name = "WebhookDelivery")
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WebhookDelivery(
        @Schema(required = true, format = "uuid", description = "Also the webhook-id header of every attempt.")
        UUID id,
        @Schema(required = true) String eventType,
        @Schema(required = true, nullable = true, format = "uuid") UUID recordingId,
        @Schema(required = true, enumeration = { "pending", "succeeded", "failed", "abandoned" },
                description = "failed: an attempt failed and another is scheduled; abandoned: no more attempts.")
        String status,
        @Schema(required = true) int attempts,
        @Schema(required = true, nullable = true) Integer lastStatusCode,
        @Schema(required = true, nullable = true) String lastError,
        @Schema(required = true, nullable = true) OffsetDateTime nextAttemptAt,
        @Schema(required = true) OffsetDateTime createdAt,
        @Schema(required = true, nullable = true) OffsetDateTime deliveredAt) {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String ABANDONED = "abandoned";
    public static final List<String> STATUSES = List.of(PENDING, SUCCEEDED, FAILED, ABANDONED);
}
