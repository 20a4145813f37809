package dev.recordings.recall;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.HashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.recordings.error.ApiError;
import io.smallrye.mutiny.Uni;

/** Where Recall.ai delivers SDK upload events. Authenticated by the Svix signature, not by an API key. */
@Path("/api/desktop_recordings/webhooks/recall")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Tag(name = "Recall.ai webhooks")
public class RecallWebhookResource {

    /** The answer: what the delivery did (applied, duplicate, unchanged, unknown_upload or ignored). */
    @RegisterForReflection
    @Schema(name = "RecallWebhookReceipt")
    public record Receipt(String status) {
    }

    private final RecallWebhookService webhooks;

    public RecallWebhookResource(RecallWebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Operation(operationId = "desktop_recordings_webhooks_recall_create", summary = "Receive a Recall.ai SDK upload event",
            description = "Signed with Svix (svix-id, svix-timestamp, svix-signature). Moves the recording's status "
                    + "forward only; redeliveries and late events change nothing and still answer 200.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Receipt.class)))
    @APIResponse(responseCode = "401", description = "Missing or bad signature, or a timestamp over 5 minutes off.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No webhook secret is configured.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Receipt> receive(@Context HttpHeaders headers, byte[] body) {
        Map<String, String> svix = new HashMap<>();
        for (String name : new String[] { RecallWebhookService.ID, RecallWebhookService.TIMESTAMP,
                RecallWebhookService.SIGNATURE }) {
            String value = headers.getHeaderString(name);
            if (value != null) {
                svix.put(name, value);
            }
        }
        return webhooks.receive(svix, body).map(Receipt::new);
    }
}
