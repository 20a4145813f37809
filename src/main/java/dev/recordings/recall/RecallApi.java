package dev.recordings.recall;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** Recall.ai's REST API, as far as this service uses it. The answer is read as a tree so it can be checked. */
@RegisterRestClient(configKey = "recall")
@Path("/api/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface RecallApi {

    @POST
    @Path("/{uploadPath}/")
    Uni<JsonNode> createSdkUpload(@PathParam("uploadPath") String uploadPath,
            @HeaderParam("Authorization") String authorization, JsonNode request);
}
