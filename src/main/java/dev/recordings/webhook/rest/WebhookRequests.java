package dev.recordings.webhook.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.recordings.webhook.WebhookDelivery;
import dev.recordings.webhook.WebhookEndpoint;

/** Bodies and answers of the webhook endpoints, as the API document shows them (the service reads JSON trees). */
final class WebhookRequests {

    private WebhookRequests() {
    }

    @Schema(name = "WebhookEndpointCreate")
    record Create(
            @Schema(required = true, maxLength = 2048, description = "An absolute https URL whose host is public.")
            String url,
            @Schema(maxLength = 255) String description,
            @Schema(description = "Event types, or [\"*\"] (the default) for all.") List<String> events,
            @Schema(description = "Default true.") Boolean enabled) {
    }

    @Schema(name = "PatchedWebhookEndpoint")
    record Update(
            @Schema(maxLength = 2048) String url,
            @Schema(maxLength = 255) String description,
            List<String> events,
            @Schema(description = "true re-enables the endpoint and clears disabled_reason.") Boolean enabled) {
    }

    @Schema(name = "WebhookEndpointWithSecret", description = "The endpoint, with its secret: shown only here.")
    record WithSecret(
            @Schema(required = true, format = "uuid") String id,
            @Schema(required = true) String url,
            @Schema(required = true) String description,
            @Schema(required = true) List<String> events,
            @Schema(required = true) boolean enabled,
            @Schema(required = true, nullable = true) String disabledReason,
            @Schema(required = true) String createdAt,
            @Schema(required = true) String updatedAt,
            @Schema(required = true, description = "whsec_ and the base64 of 32 random bytes.") String secret) {
    }

    @Schema(name = "WebhookSecret")
    record Secret(@Schema(required = true) String secret) {
    }

    @Schema(name = "WebhookDeliveryQueued")
    record Queued(@Schema(required = true, format = "uuid") String deliveryId) {
    }

    @Schema(name = "WebhookEndpointPage")
    record EndpointPage(@Schema(required = true) long count, @Schema(required = true, nullable = true) String next,
            @Schema(required = true, nullable = true) String previous,
            @Schema(required = true) List<WebhookEndpoint> results) {
    }

    @Schema(name = "WebhookDeliveryPage")
    record DeliveryPage(@Schema(required = true) long count, @Schema(required = true, nullable = true) String next,
            @Schema(required = true, nullable = true) String previous,
            @Schema(required = true) List<WebhookDelivery> results) {
    }
}
