package dev.recordings.openapi;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.recordings.webhook.WebhookPayloads;

/**
 * Types the API document describes though no operation returns them: the webhook events' data, which
 * {@link ApiDocumentFilter} then lists under {@code x-webhooks}. (The title and version come from the configuration.)
 */
@OpenAPIDefinition(info = @Info(title = "Desktop recordings API", version = "1.0.0"), components = @Components(
        schemas = {
                @Schema(name = "RecordingDeletedData", implementation = WebhookPayloads.RecordingDeleted.class),
                @Schema(name = "RecordingStatusChangedData", implementation = WebhookPayloads.StatusChanged.class),
                @Schema(name = "TranscriptUpdatedData", implementation = WebhookPayloads.TranscriptUpdated.class),
                @Schema(name = "PingData", implementation = WebhookPayloads.Ping.class) }))
public class ApiDefinition {
}
