package dev.recordings.recall;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.config.RecordingsConfig;
import dev.recordings.db.EmbeddedPostgresConfigSourceFactory;
import dev.recordings.error.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/** Gets the SDK upload (its id and upload token) that the desktop SDK needs before it can record. */
@ApplicationScoped
public class RecallUploadService {

    private static final Logger LOG = Logger.getLogger(RecallUploadService.class);
    private static final String FAILED = "Failed to create upload with Recall.ai: ";
    private static final int TOO_MANY_REQUESTS = 429;
    /** Recall.ai's create limit is 300 a minute per workspace: a short wait is worth one retry, a long one is not. */
    private static final Duration LONGEST_RETRY_WAIT = Duration.ofSeconds(2);

    /** The upload of one recording; {@code uploadToken} is null when uploads are off. */
    public record SdkUpload(UUID sdkUploadId, String uploadToken) {
    }

    private final RecallApi api;
    private final RecallConfig recall;
    private final boolean uploadsEnabled;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;

    public RecallUploadService(@RestClient RecallApi api, RecallConfig recall, RecordingsConfig recordings,
            Config config, ObjectMapper mapper, MeterRegistry metrics) {
        this.api = api;
        this.recall = recall;
        this.uploadsEnabled = recordings.uploadsEnabled()
                .orElse(!EmbeddedPostgresConfigSourceFactory.inUse(config));
        this.mapper = mapper;
        this.metrics = metrics;
    }

    public Uni<SdkUpload> createUpload(UUID recordingId, long projectId) {
        if (!uploadsEnabled) {
            return Uni.createFrom().item(new SdkUpload(UUID.randomUUID(), null));
        }
        String key = recall.apiKey().filter(value -> !value.isBlank()).orElse(null);
        if (key == null) {
            return Uni.createFrom().failure(ApiException.serviceUnavailable("Recall.ai API key not configured",
                    Map.of()));
        }
        ObjectNode request = request(recordingId, projectId);
        Duration total = Duration.ofMillis(recall.connectTimeoutMs() + (long) recall.readTimeoutMs());
        Uni<JsonNode> call = Uni.createFrom()
                .deferred(() -> api.createSdkUpload(recall.uploadPath(), "Token " + key, request))
                .ifNoItem().after(total).failWith(TimeoutException::new);
        Timer.Sample sample = Timer.start(metrics);
        return call
                .onFailure(RecallUploadService::isThrottled).recoverWithUni(throttled -> {
                    Optional<Duration> wait = retryAfter(throttled);
                    if (wait.isPresent() && wait.get().compareTo(LONGEST_RETRY_WAIT) <= 0) {
                        return Uni.createFrom().voidItem().onItem().delayIt().by(wait.get()).chain(() -> call);
                    }
                    return Uni.createFrom().failure(throttled);
                })
                .onFailure().transform(RecallUploadService::unavailable)
                .map(RecallUploadService::upload)
                .onItemOrFailure().invoke((upload, failure) -> sample.stop(metrics.timer("recordings.recall.upload",
                        "outcome", failure == null ? "success" : "failure",
                        "reason", failure == null ? "none" : failure.getMessage().replace(FAILED, ""))));
    }

    private ObjectNode request(UUID recordingId, long projectId) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode config = body.putObject("recording_config");
        config.putObject("transcript").putObject("provider").putObject("assembly_ai_v3_streaming");
        ObjectNode endpoint = config.putArray("realtime_endpoints").addObject();
        endpoint.put("type", "desktop_sdk_callback");
        endpoint.putArray("events").add("transcript.data");
        // Lets a webhook find its recording even if the upload id is not found.
        ObjectNode metadata = body.putObject("metadata");
        metadata.put("recording_id", recordingId.toString());
        metadata.put("project_id", Long.toString(projectId));
        return body;
    }

    private static SdkUpload upload(JsonNode answer) {
        UUID uploadId = uuid(answer.path("id").asText(null));
        String token = answer.path("upload_token").asText(null);
        if (uploadId == null || token == null || token.isBlank()) {
            throw unavailable("invalid response", Map.of());
        }
        return new SdkUpload(uploadId, token);
    }

    private static ApiException unavailable(Throwable failure) {
        if (failure instanceof ApiException known) {
            return known;
        }
        Map<String, String> headers = isThrottled(failure)
                ? retryAfterHeader(failure).map(value -> Map.of("Retry-After", value)).orElse(Map.of())
                : Map.of();
        return unavailable(reason(failure), headers);
    }

    private static ApiException unavailable(String reason, Map<String, String> headers) {
        LOG.warnf("Recall.ai upload creation failed: %s", reason);
        return ApiException.serviceUnavailable(FAILED + reason, headers);
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

    private static boolean isThrottled(Throwable failure) {
        return failure instanceof WebApplicationException http && http.getResponse() != null
                && http.getResponse().getStatus() == TOO_MANY_REQUESTS;
    }

    private static Optional<String> retryAfterHeader(Throwable failure) {
        return Optional.ofNullable(((WebApplicationException) failure).getResponse().getHeaderString("Retry-After"))
                .map(String::strip).filter(value -> !value.isEmpty());
    }

    /** Retry-After in seconds or as an HTTP date. */
    private static Optional<Duration> retryAfter(Throwable failure) {
        return retryAfterHeader(failure).flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value))).filter(wait -> !wait.isNegative());
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (DateTimeParseException notADate) {
                    return Optional.empty();
                }
            }
        });
    }

    private static UUID uuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
