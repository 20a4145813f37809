package dev.recordings.webhook.rest;

import jakarta.ws.rs.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recordings.auth.ProjectAccess;
import dev.recordings.json.JsonBodyReader;
import dev.recordings.webhook.WebhookService;
import io.quarkus.security.identity.SecurityIdentity;

/** The webhook endpoints under {@code /api/projects/}. */
@Path("/api/projects/{project_id}/webhook_endpoints")
public class ProjectsWebhookEndpointResource extends WebhookEndpointResource {

    public ProjectsWebhookEndpointResource(WebhookService webhooks, ProjectAccess access, JsonBodyReader bodies,
            SecurityIdentity identity, ObjectMapper mapper) {
        super(webhooks, access, bodies, identity, mapper);
    }
}
