package dev.recordings.recall;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.config.RecordingsConfig;
import dev.recordings.error.ApiException;
import io.smallrye.mutiny.Uni;

/** Gets the SDK upload (its id and upload token) that the desktop SDK needs before it can record. */
@ApplicationScoped
public class RecallUploadService {

    private static final Logger LOG = Logger.getLogger(RecallUploadService.class);
    private static final String FAILED = "Failed to create upload with Recall.ai: ";

    /** The upload of one recording; {@code uploadToken} is null when uploads are off. */
    public record SdkUpload(UUID sdkUploadId, String uploadToken) {
    }

    private final RecallApi api;
    private final RecallConfig recall;
    private final RecordingsConfig recordings;
    private final ObjectMapper mapper;

    public RecallUploadService(@RestClient RecallApi api, RecallConfig recall, RecordingsConfig recordings,
            ObjectMapper mapper) {
        this.api = api;
        this.recall = recall;
        this.recordings = recordings;
        this.mapper = mapper;
    }

    public Uni<SdkUpload> createUpload(UUID recordingId, long projectId) {
        if (!recordings.uploadsEnabled()) {
            return Uni.createFrom().item(new SdkUpload(UUID.randomUUID(), null));
        }
        String key = recall.apiKey().filter(value -> !value.isBlank()).orElse(null);
        if (key == null) {
            return Uni.createFrom().failure(ApiException.serviceUnavailable("Recall.ai API key not configured",
                    Map.of()));
        }
        return api.createSdkUpload("Token " + key, request(recordingId, projectId))
                .onFailure().transform(failure -> unavailable(reason(failure), failure))
                .map(answer -> {
                    UUID uploadId = uuid(answer.path("id").asText(null));
                    String token = answer.path("upload_token").asText(null);
                    if (uploadId == null || token == null || token.isBlank()) {
                        throw unavailable("invalid response", null);
                    }
                    return new SdkUpload(uploadId, token);
                });
    }

    private ObjectNode request(UUID recordingId, long projectId) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode config = body.putObject("recording_config");
        config.putObject("transcript").putObject("provider").putObject("assembly_ai_v3_streaming");
        ObjectNode endpoint = config.putArray("realtime_endpoints").addObject();
        endpoint.put("type", "desktop_sdk_callback");
        endpoint.putArray("events").add("transcript.data");
        ObjectNode metadata = body.putObject("metadata");
        metadata.put("recording_id", recordingId.toString());
        metadata.put("project_id", Long.toString(projectId));
        return body;
    }

    private static ApiException unavailable(String reason, Throwable cause) {
        if (cause instanceof ApiException known) {
            return known;
        }
        LOG.warnf("Recall.ai upload creation failed: %s", reason);
        return ApiException.serviceUnavailable(FAILED + reason, Map.of());
    }

    private static String reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebApplicationException http && http.getResponse() != null) {
                int status = http.getResponse().getStatus();
                // a success status that still failed is an answer the client could not read
                return status < 300 ? "invalid response" : "HTTP " + status;
            }
            if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
                return "timeout";
            }
            if (cause instanceof JsonProcessingException) {
                return "invalid response";
            }
        }
        return "connection error";
    }

    private static UUID uuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
