package dev.recordings.recall;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.svix.Webhook;
import com.svix.exceptions.EmptyWebhookSecretException;
import com.svix.exceptions.WebhookVerificationException;

import dev.recordings.error.ApiException;
import io.smallrye.mutiny.Uni;

/** Recall.ai webhooks: checks the Svix signature, then moves the recording's status. */
@ApplicationScoped
public class RecallWebhookService {

    private static final Logger LOG = Logger.getLogger(RecallWebhookService.class);
    static final String ID = "svix-id";
    static final String TIMESTAMP = "svix-timestamp";
    static final String SIGNATURE = "svix-signature";

    private final RecallConfig config;
    private final RecallEventRepository events;
    private final ObjectMapper mapper;

    public RecallWebhookService(RecallConfig config, RecallEventRepository events, ObjectMapper mapper) {
        this.config = config;
        this.events = events;
        this.mapper = mapper;
    }

    /** The outcome's name, for the answer; 404 while no secret is configured, 401 for a bad signature. */
    public Uni<String> receive(Map<String, String> headers, byte[] body) {
        String secret = config.webhookSecret().filter(value -> !value.isBlank()).orElseThrow(
                () -> ApiException.notFound("Not found."));
        String payload = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8);
        verify(secret, headers, payload);
        JsonNode json;
        try {
            json = mapper.readTree(payload);
        } catch (java.io.IOException e) {
            throw ApiException.parseError("JSON parse error.");
        }
        String deliveryId = headers.get(ID);
        return RecallEvent.from(json == null ? mapper.nullNode() : json)
                .map(event -> events.apply(deliveryId, event).map(outcome -> {
                    if (outcome == RecallEventRepository.Outcome.UNKNOWN_UPLOAD) {
                        LOG.warnf("Recall.ai event %s (delivery %s) names an unknown upload %s", event.event(),
                                deliveryId, event.sdkUploadId());
                    }
                    return outcome.name().toLowerCase();
                }))
                .orElseGet(() -> Uni.createFrom().item("ignored"));
    }

    /** Svix's own check: HMAC-SHA256 over id.timestamp.body, any v1 signature, at most five minutes off. */
    private static void verify(String secret, Map<String, String> headers, String payload) {
        try {
            new Webhook(secret).verify(payload, Map.of(
                    ID, List.of(headers.getOrDefault(ID, "")),
                    TIMESTAMP, List.of(headers.getOrDefault(TIMESTAMP, "")),
                    SIGNATURE, List.of(headers.getOrDefault(SIGNATURE, ""))));
        } catch (WebhookVerificationException | EmptyWebhookSecretException | IllegalArgumentException e) {
            throw ApiException.authenticationFailed("Invalid webhook signature.");
        }
    }
}
