package dev.recordings.webhook;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.config.RecordingsConfig;
import dev.recordings.error.ApiException;
import dev.recordings.http.QueryText;
import dev.recordings.json.JsonFields;
import io.smallrye.mutiny.Uni;

/** The rules of a project's webhook endpoints: what a body may say, the secret, and the calls an owner makes. */
@ApplicationScoped
public class WebhookService {

    /** The contract's bounds. */
    public static final int MOST_ENDPOINTS = 10;
    public static final int URL_MAX = 2048;
    public static final int DESCRIPTION_MAX = 255;
    /** How long a rotated-out secret still signs, beside the new one. */
    static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookStore store;
    private final AddressGuard guard;
    private final WebhookPayloads payloads;
    private final boolean allowHttp;

    public WebhookService(WebhookStore store, AddressGuard guard, ObjectMapper mapper, RecordingsConfig config) {
        this.store = store;
        this.guard = guard;
        // a ping names no recording: the payloads' recording summary is never asked for
        this.payloads = new WebhookPayloads(mapper, recording -> {
            throw new IllegalStateException("a ping has no recording");
        });
        this.allowHttp = config.webhooks().allowHttp();
    }

    /** An endpoint as its create answers it: with its secret, shown this once. */
    public record Created(WebhookEndpoint endpoint, String secret) {
    }

    public Uni<WebhookStore.EndpointPage> list(long projectId, int limit, long offset) {
        return store.endpoints(projectId, limit, offset);
    }

    public Uni<Created> create(long projectId, Supplier<ObjectNode> body) {
        return Uni.createFrom().item(body).chain(fields -> {
            JsonNode urlField = fields.get("url");
            if (urlField == null) {
                throw JsonFields.required("url");
            }
            String url = url(urlField);
            String description = description(fields.get("description"));
            List<String> events = fields.has("events") ? events(fields.get("events")) : List.of(WebhookEvents.ALL);
            boolean enabled = !fields.has("enabled") || JsonFields.bool(fields.get("enabled"), "enabled", false);
            String secret = newSecret();
            return publicHost(url).chain(() -> store.insert(UUID.randomUUID(), projectId, url, description, events,
                    enabled, secret, MOST_ENDPOINTS)).map(endpoint -> {
                        if (endpoint == null) {
                            throw ApiException.validation("max_length", "A project may have at most "
                                    + MOST_ENDPOINTS + " webhook endpoints.", null);
                        }
                        return new Created(endpoint, secret);
                    });
        });
    }

    public Uni<WebhookEndpoint> get(long projectId, String id) {
        return endpoint(projectId, id);
    }

    /** Changes the fields the body names; {@code enabled: true} clears the reason it was disabled. */
    public Uni<WebhookEndpoint> update(long projectId, String id, Supplier<ObjectNode> body) {
        return endpoint(projectId, id).chain(current -> {
            ObjectNode fields = body.get();
            String url = fields.has("url") ? url(fields.get("url")) : current.url();
            String description = fields.has("description") ? description(fields.get("description"))
                    : current.description();
            List<String> events = fields.has("events") ? events(fields.get("events")) : current.events();
            boolean enabled = current.enabled();
            String disabledReason = current.disabledReason();
            if (fields.has("enabled")) {
                enabled = JsonFields.bool(fields.get("enabled"), "enabled", false);
                disabledReason = enabled ? null : current.enabled() ? WebhookEndpoint.MANUAL : disabledReason;
            }
            WebhookEndpoint changed = new WebhookEndpoint(current.id(), projectId, url, description, events, enabled,
                    disabledReason, current.createdAt(), current.updatedAt());
            Uni<Void> checked = url.equals(current.url()) ? Uni.createFrom().voidItem() : publicHost(url);
            return checked.chain(() -> store.update(changed)).onItem().ifNull().failWith(WebhookService::notFound);
        });
    }

    public Uni<Void> delete(long projectId, String id) {
        return parse(id).chain(endpoint -> store.delete(projectId, endpoint)).map(deleted -> {
            if (!deleted) {
                throw notFound();
            }
            return null;
        });
    }

    public Uni<String> rotateSecret(long projectId, String id) {
        String secret = newSecret();
        return parse(id).chain(endpoint -> store.rotate(projectId, endpoint, secret, ROTATION_OVERLAP))
                .map(rotated -> {
                    if (!rotated) {
                        throw notFound();
                    }
                    return secret;
                });
    }

    /** Queues a ping to the endpoint; answers the delivery's id. */
    public Uni<UUID> test(long projectId, String id) {
        return endpoint(projectId, id).chain(endpoint -> {
            return store.queue(endpoint.id(), WebhookEvents.PING, null,
                    payloads.ping(OffsetDateTime.now(ZoneOffset.UTC), endpoint.id()));
        });
    }

    public Uni<WebhookStore.DeliveryPage> deliveries(long projectId, String id, String status, int limit,
            long offset) {
        return endpoint(projectId, id).chain(endpoint -> {
            if (QueryText.of(status, "status") != null && !WebhookDelivery.STATUSES.contains(status)) {
                throw ApiException.validation("invalid_choice", "Select a valid choice. " + status
                        + " is not one of the available choices.", "status");
            }
            return store.deliveries(endpoint.id(), status, limit, offset);
        });
    }

    public Uni<UUID> retry(long projectId, String id, String deliveryId) {
        return endpoint(projectId, id).chain(endpoint -> parse(deliveryId).chain(delivery ->
                store.retry(endpoint.id(), delivery).map(retried -> {
                    if (!retried) {
                        throw notFound();
                    }
                    return delivery;
                })));
    }

    private Uni<WebhookEndpoint> endpoint(long projectId, String id) {
        return parse(id).chain(endpoint -> store.endpoint(projectId, endpoint))
                .onItem().ifNull().failWith(WebhookService::notFound);
    }

    private static Uni<UUID> parse(String id) {
        return Uni.createFrom().item(() -> {
            try {
                UUID parsed = UUID.fromString(id);
                if (parsed.toString().equalsIgnoreCase(id)) {
                    return parsed;
                }
            } catch (IllegalArgumentException e) {
                // answered below
            }
            throw notFound();
        });
    }

    private String url(JsonNode value) {
        String url = JsonFields.string(value, "url", false, false, URL_MAX);
        JsonFields.url(value, "url", false, URL_MAX);
        URI uri = URI.create(url);
        if (uri.getRawUserInfo() != null) {
            // a user name and password in a URL would be sent to the receiver's host and shown in the endpoint
            throw ApiException.validation("invalid_input", "Enter a URL without a user name or password.", "url");
        }
        if (!guard.allowsScheme(uri)) {
            throw ApiException.validation("invalid_input", allowHttp ? "Enter a valid http or https URL."
                    : "Enter a valid https URL.", "url");
        }
        return url;
    }

    /** The URL's host resolves to public addresses only, or a 400 on {@code url}. */
    private Uni<Void> publicHost(String url) {
        return guard.resolve(URI.create(url)).replaceWithVoid().onFailure(AddressGuard.Refused.class)
                .transform(refused -> ApiException.validation("invalid_input", "This URL cannot receive webhooks: "
                        + refused.getMessage() + ".", "url"));
    }

    private static String description(JsonNode value) {
        String description = JsonFields.string(value, "description", true, true, DESCRIPTION_MAX);
        return description == null ? "" : description;
    }

    private static List<String> events(JsonNode value) {
        ArrayNode list = JsonFields.list(value, "events", false);
        if (list.isEmpty()) {
            throw ApiException.validation("empty", "This list may not be empty.", "events");
        }
        List<String> events = new ArrayList<>();
        for (int index = 0; index < list.size(); index++) {
            String event = JsonFields.choice(list.get(index), "events__" + index, false, WebhookEvents.CHOICES);
            if (!events.contains(event)) {
                events.add(event);
            }
        }
        return events;
    }

    /** {@code whsec_} and 32 random bytes in base64, as Standard Webhooks libraries take a secret. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }

    static ApiException notFound() {
        return ApiException.notFound("Not found.");
    }
}
