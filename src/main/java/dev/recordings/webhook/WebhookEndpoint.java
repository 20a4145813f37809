package dev.recordings.webhook;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A project's webhook endpoint, as the API shows it (never its secret). */
@RegisterForReflection
@Schema(name = "WebhookEndpoint")
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WebhookEndpoint(
        @Schema(required = true, format = "uuid") UUID id,
        @JsonIgnore long projectId,
        @Schema(required = true) String url,
        @Schema(required = true) String description,
        @Schema(required = true) List<String> events,
        @Schema(required = true) boolean enabled,
        @Schema(required = true, nullable = true, enumeration = { "manual", "gone" }) String disabledReason,
        @Schema(required = true) OffsetDateTime createdAt,
        @Schema(required = true) OffsetDateTime updatedAt) {

    public static final String MANUAL = "manual";
    public static final String GONE = "gone";
}
