package dev.recordings.webhook.rest;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.auth.ApiCaller;
import dev.recordings.auth.ProjectAccess;
import dev.recordings.auth.Scopes;
import dev.recordings.error.ApiError;
import dev.recordings.http.PageLinks;
import dev.recordings.json.JsonBodyReader;
import dev.recordings.recording.ListParameters;
import dev.recordings.webhook.WebhookDelivery;
import dev.recordings.webhook.WebhookEndpoint;
import dev.recordings.webhook.WebhookService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A project's webhook endpoints and their delivery logs. One subclass per prefix, as for the recordings; the
 * project parameter, the key requirement and the common errors are added by path in ApiDocumentFilter.
 */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Tag(name = "Webhook endpoints")
public abstract class WebhookEndpointResource {

    static final int MAX_LIMIT = 100;

    private final WebhookService webhooks;
    private final ProjectAccess access;
    private final JsonBodyReader bodies;
    private final SecurityIdentity identity;
    private final ObjectMapper mapper;

    protected WebhookEndpointResource(WebhookService webhooks, ProjectAccess access, JsonBodyReader bodies,
            SecurityIdentity identity, ObjectMapper mapper) {
        this.webhooks = webhooks;
        this.access = access;
        this.bodies = bodies;
        this.identity = identity;
        this.mapper = mapper;
    }

    @GET
    @RolesAllowed(Scopes.WEBHOOK_READ)
    @Operation(operationId = "webhook_endpoints_list", summary = "List webhook endpoints",
            description = "Oldest first.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation =
            WebhookRequests.EndpointPage.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<WebhookRequests.EndpointPage> list(@PathParam("project_id") String projectId,
            @QueryParam("limit") @Parameter(description = "Default 100, at most 100.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String limit,
            @QueryParam("offset") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) String offset,
            @Context UriInfo uri) {
        return project(projectId).chain(project -> {
            int size = size(limit);
            long skipped = skipped(offset);
            return webhooks.list(project, size, skipped).map(page -> new WebhookRequests.EndpointPage(page.count(),
                    PageLinks.next(uri, size, skipped, page.count()), PageLinks.previous(uri, size, skipped),
                    page.endpoints()));
        });
    }

    @POST
    @RolesAllowed(Scopes.WEBHOOK_WRITE)
    @Operation(operationId = "webhook_endpoints_create", summary = "Create a webhook endpoint",
            description = "Answers its secret, which is never shown again. At most 10 per project.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WebhookRequests.Create.class)))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation =
            WebhookRequests.WithSecret.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> create(@PathParam("project_id") String projectId, @Context HttpHeaders headers,
            @Context UriInfo uri, byte[] body) {
        return project(projectId).chain(project -> webhooks.create(project, () -> read(headers, body)))
                .map(created -> {
                    ObjectNode answer = mapper.valueToTree(created.endpoint());
                    answer.put("secret", created.secret());
                    String collection = uri.getAbsolutePath().toString();
                    return Response.created(URI.create(collection + (collection.endsWith("/") ? "" : "/")
                            + created.endpoint().id() + "/")).entity(answer).build();
                });
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Scopes.WEBHOOK_READ)
    @Operation(operationId = "webhook_endpoints_retrieve", summary = "Retrieve a webhook endpoint")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = WebhookEndpoint.class)))
    public Uni<WebhookEndpoint> retrieve(@PathParam("project_id") String projectId, @PathParam("id") String id) {
        return project(projectId).chain(project -> webhooks.get(project, id));
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Scopes.WEBHOOK_WRITE)
    @Operation(operationId = "webhook_endpoints_partial_update", summary = "Partially update a webhook endpoint")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WebhookRequests.Update.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = WebhookEndpoint.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<WebhookEndpoint> update(@PathParam("project_id") String projectId, @PathParam("id") String id,
            @Context HttpHeaders headers, byte[] body) {
        return project(projectId).chain(project -> webhooks.update(project, id, () -> read(headers, body)));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Scopes.WEBHOOK_WRITE)
    @Operation(operationId = "webhook_endpoints_destroy", summary = "Delete a webhook endpoint",
            description = "Its pending deliveries are abandoned.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    public Uni<Response> delete(@PathParam("project_id") String projectId, @PathParam("id") String id) {
        return project(projectId).chain(project -> webhooks.delete(project, id))
                .map(deleted -> Response.noContent().build());
    }

    @POST
    @Path("/{id}/rotate_secret")
    @RolesAllowed(Scopes.WEBHOOK_WRITE)
    @Operation(operationId = "webhook_endpoints_rotate_secret_create", summary = "Rotate a webhook endpoint's secret",
            description = "For 24 hours deliveries carry the signatures of both the new and the old secret.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation =
            WebhookRequests.Secret.class)))
    public Uni<Map<String, String>> rotateSecret(@PathParam("project_id") String projectId,
            @PathParam("id") String id) {
        return project(projectId).chain(project -> webhooks.rotateSecret(project, id))
                .map(secret -> Map.of("secret", secret));
    }

    @POST
    @Path("/{id}/test")
    @RolesAllowed(Scopes.WEBHOOK_WRITE)
    @Operation(operationId = "webhook_endpoints_test_create", summary = "Send a ping event to a webhook endpoint")
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation =
            WebhookRequests.Queued.class)))
    public Uni<Response> test(@PathParam("project_id") String projectId, @PathParam("id") String id) {
        return project(projectId).chain(project -> webhooks.test(project, id)).map(this::queued);
    }

    @GET
    @Path("/{id}/deliveries")
    @RolesAllowed(Scopes.WEBHOOK_READ)
    @Operation(operationId = "webhook_endpoints_deliveries_list", summary = "List a webhook endpoint's deliveries",
            description = "Newest first.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation =
            WebhookRequests.DeliveryPage.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<WebhookRequests.DeliveryPage> deliveries(@PathParam("project_id") String projectId,
            @PathParam("id") String id,
            @QueryParam("status") @Parameter(schema = @Schema(type = SchemaType.STRING,
                    enumeration = { WebhookDelivery.PENDING, WebhookDelivery.SUCCEEDED, WebhookDelivery.FAILED,
                            WebhookDelivery.ABANDONED })) String status,
            @QueryParam("limit") @Parameter(description = "Default 100, at most 100.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String limit,
            @QueryParam("offset") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) String offset,
            @Context UriInfo uri) {
        return project(projectId).chain(project -> {
            int size = size(limit);
            long skipped = skipped(offset);
            return webhooks.deliveries(project, id, status == null ? null : status.strip(), size, skipped)
                    .map(page -> new WebhookRequests.DeliveryPage(page.count(),
                            PageLinks.next(uri, size, skipped, page.count()), PageLinks.previous(uri, size, skipped),
                            page.deliveries()));
        });
    }

    @POST
    @Path("/{id}/deliveries/{delivery_id}/retry")
    @RolesAllowed(Scopes.WEBHOOK_WRITE)
    @Operation(operationId = "webhook_endpoints_deliveries_retry_create", summary = "Attempt a delivery again now",
            description = "With the same webhook-id, so a receiver that had it can tell.")
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation =
            WebhookRequests.Queued.class)))
    public Uni<Response> retry(@PathParam("project_id") String projectId, @PathParam("id") String id,
            @PathParam("delivery_id") String deliveryId) {
        return project(projectId).chain(project -> webhooks.retry(project, id, deliveryId)).map(this::queued);
    }

    private Response queued(UUID delivery) {
        return Response.accepted(Map.of("delivery_id", delivery.toString())).build();
    }

    private Uni<Long> project(String projectId) {
        return access.check(ApiCaller.of(identity), projectId);
    }

    private ObjectNode read(HttpHeaders headers, byte[] body) {
        return bodies.readObject(headers, body);
    }

    private static int size(String limit) {
        return limit == null ? MAX_LIMIT : (int) Math.min(MAX_LIMIT, ListParameters.integer(limit, "limit", 1));
    }

    private static long skipped(String offset) {
        return offset == null ? 0 : ListParameters.integer(offset, "offset", 0);
    }
}
