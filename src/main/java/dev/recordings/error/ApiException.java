package dev.recordings.error;

import java.util.Map;

/**
 * A failure that the client is told about, already in the contract's terms. Services throw it; the mappers in this
 * package turn it into the answer.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final ApiError error;
    private final Map<String, String> headers;

    public ApiException(int status, String type, String code, String detail, String attr, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.error = new ApiError(type, code, detail, attr);
        this.headers = headers;
    }

    public ApiException(int status, String type, String code, String detail, String attr) {
        this(status, type, code, detail, attr, Map.of());
    }

    public static ApiException validation(String code, String detail, String attr) {
        return new ApiException(400, "validation_error", code, detail, attr);
    }

    public static ApiException parseError(String detail) {
        return new ApiException(400, "invalid_request", "parse_error", detail, null);
    }

    public static ApiException notAuthenticated() {
        return new ApiException(401, "authentication_error", "not_authenticated",
                "Authentication credentials were not provided.", null, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException authenticationFailed(String detail) {
        return new ApiException(401, "authentication_error", "authentication_failed", detail, null,
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException permissionDenied(String detail) {
        return new ApiException(403, "authentication_error", "permission_denied", detail, null);
    }

    /** A key whose scopes do not grant the action. */
    public static ApiException missingScope() {
        return permissionDenied("API key missing required scope for this action.");
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "invalid_request", "not_found", detail, null);
    }

    public static ApiException methodNotAllowed(String method) {
        return new ApiException(405, "invalid_request", "method_not_allowed",
                "Method \"" + method + "\" not allowed.", null);
    }

    public static ApiException payloadTooLarge() {
        return new ApiException(413, "invalid_request", "payload_too_large",
                "Request body is larger than the limit of 10 MiB.", null);
    }

    public static ApiException unsupportedMediaType(String mediaType) {
        return new ApiException(415, "invalid_request", "unsupported_media_type",
                "Unsupported media type \"" + mediaType + "\" in request. Send application/json.", null);
    }

    /** The caller's key has used up its requests for now; {@code seconds} until one is available again (≥ 1). */
    public static ApiException throttled(long seconds) {
        return new ApiException(429, "throttled_error", "throttled",
                "Request was throttled. Expected available in " + seconds + " seconds.", null,
                Map.of("Retry-After", Long.toString(seconds)));
    }

    /** A per-key bound other than the rate (MCP sessions, streams) is reached; the detail says which. */
    public static ApiException tooMany(String detail, long retryAfterSeconds) {
        return new ApiException(429, "throttled_error", "throttled", detail, null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** The instance is overloaded and says so at once, rather than queue further. */
    public static ApiException busy() {
        return serviceUnavailable("The service is busy; retry shortly.", Map.of("Retry-After", "1"));
    }

    public static ApiException serviceUnavailable(String detail, Map<String, String> headers) {
        return new ApiException(503, "server_error", "service_unavailable", detail, null, headers);
    }

    /** An unexpected failure: the request id, for the logs, and nothing else. */
    public static ApiException serverError(String requestId) {
        return new ApiException(500, "server_error", "error",
                "A server error occurred. Request id: " + requestId + ".", null, Map.of("X-Request-Id", requestId));
    }

    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
