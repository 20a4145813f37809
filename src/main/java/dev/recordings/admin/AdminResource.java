package dev.recordings.admin;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.auth.CallerCache;
import dev.recordings.error.ApiError;
import dev.recordings.error.ApiException;
import dev.recordings.json.JsonBodyReader;
import dev.recordings.retention.RetentionService;
import io.smallrye.mutiny.Uni;

/**
 * The provisioning API, the only way to get projects, users and keys. Guarded by {@link AdminTokenFilter}: it
 * exists only when RECORDINGS_ADMIN_TOKEN is set, and answers only to that token.
 */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Tag(name = "Provisioning")
@APIResponse(responseCode = "401", description = "Wrong admin token.",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "404", description = "Provisioning is disabled, or no such project, user or key.",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class AdminResource {

    private final AdminService admin;
    private final CallerCache callers;
    private final JsonBodyReader bodies;
    private final RetentionService retention;

    public AdminResource(AdminService admin, CallerCache callers, JsonBodyReader bodies, RetentionService retention) {
        this.callers = callers;
        this.admin = admin;
        this.bodies = bodies;
        this.retention = retention;
    }

    @POST
    @Path("/projects")
    @Operation(operationId = "admin_projects_create", summary = "Create a project")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminRequests.ProjectCreate.class)))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = AdminViews.ProjectView.class)))
    public Uni<Response> createProject(@Context HttpHeaders headers, byte[] body) {
        return json(headers, body).chain(admin::createProject)
                .map(project -> Response.created(URI.create("/api/admin/projects/" + project.id()))
                        .entity(project).build());
    }

    @GET
    @Path("/projects/{project_id}")
    @Operation(operationId = "admin_projects_retrieve", summary = "Read a project and its retention")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AdminViews.ProjectView.class)))
    public Uni<AdminViews.ProjectView> project(@PathParam("project_id") String projectId) {
        return id(projectId, "Project not found.").chain(admin::project);
    }

    @PATCH
    @Path("/projects/{project_id}")
    @Operation(operationId = "admin_projects_partial_update", summary = "Set a project's retention",
            description = "retention_days: recordings whose started_at is older are deleted by the retention "
                    + "sweep; null keeps them forever.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminRequests.ProjectUpdate.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AdminViews.ProjectView.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<AdminViews.ProjectView> updateProject(@PathParam("project_id") String projectId,
            @Context HttpHeaders headers, byte[] body) {
        return id(projectId, "Project not found.").chain(project -> json(headers, body)
                .chain(fields -> admin.updateProject(project, fields)));
    }

    @POST
    @Path("/retention/run")
    @Operation(operationId = "admin_retention_run_create", summary = "Run one retention sweep now",
            description = "Deletes the recordings past their project's retention_days, and old webhook deliveries. "
                    + "0 when another replica is sweeping at that moment.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AdminViews.RetentionRun.class)))
    public Uni<AdminViews.RetentionRun> runRetention() {
        return retention.sweep().map(AdminViews.RetentionRun::new);
    }

    @POST
    @Path("/users")
    @Operation(operationId = "admin_users_create", summary = "Create a user")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminRequests.UserCreate.class)))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = AdminViews.UserView.class)))
    public Uni<Response> createUser(@Context HttpHeaders headers, byte[] body) {
        return json(headers, body).chain(admin::createUser)
                .map(user -> Response.status(201).entity(user).build());
    }

    @PUT
    @Path("/projects/{project_id}/members/{user_id}")
    @Operation(operationId = "admin_projects_members_update", summary = "Make a user a member of a project (idempotent)")
    @APIResponse(responseCode = "204", description = "The user is a member.")
    public Uni<Response> addMember(@PathParam("project_id") String projectId, @PathParam("user_id") String userId) {
        return id(projectId, "Project not found.").chain(project -> id(userId, "User not found.")
                .chain(user -> admin.addMember(project, user)))
                .invoke(callers::forget)
                .map(nothing -> Response.noContent().build());
    }

    @DELETE
    @Path("/projects/{project_id}/members/{user_id}")
    @Operation(operationId = "admin_projects_members_destroy", summary = "Remove a user from a project")
    @APIResponse(responseCode = "204", description = "The user is not a member.")
    public Uni<Response> removeMember(@PathParam("project_id") String projectId,
            @PathParam("user_id") String userId) {
        return id(projectId, "Project not found.").chain(project -> id(userId, "User not found.")
                .chain(user -> admin.removeMember(project, user)))
                .invoke(callers::forget)
                .map(nothing -> Response.noContent().build());
    }

    @POST
    @Path("/users/{user_id}/personal_api_keys")
    @Operation(operationId = "admin_users_personal_api_keys_create", summary = "Create a personal API key",
            description = "The key's value is in this answer only.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminRequests.KeyCreate.class)))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = AdminViews.KeyView.class)))
    public Uni<Response> createKey(@PathParam("user_id") String userId, @Context HttpHeaders headers, byte[] body) {
        return id(userId, "User not found.").chain(user -> json(headers, body)
                .chain(fields -> admin.createKey(user, fields)))
                .map(key -> Response.status(201).entity(key).build());
    }

    @DELETE
    @Path("/personal_api_keys/{id}")
    @Operation(operationId = "admin_personal_api_keys_destroy", summary = "Revoke a personal API key", description = "The key answers 401 from then on.")
    @APIResponse(responseCode = "204", description = "Revoked.")
    public Uni<Response> revokeKey(@PathParam("id") String id) {
        return admin.revokeKey(id).invoke(callers::forget).map(nothing -> Response.noContent().build());
    }

    /** A numeric id from the path, or a 404 inside the pipeline. */
    private static Uni<Long> id(String value, String notFound) {
        return Uni.createFrom().item(() -> {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw ApiException.notFound(notFound);
            }
        });
    }

    /** The body as a JSON object, or its 4xx inside the pipeline. */
    private Uni<ObjectNode> json(HttpHeaders headers, byte[] body) {
        return Uni.createFrom().item(() -> bodies.readObject(headers, body));
    }
}
