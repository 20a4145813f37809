package dev.recordings.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.recordings.config.RecordingsConfig;
import dev.recordings.error.ApiException;
import dev.recordings.error.ErrorAnswers;

/** Guards the provisioning API: 404 while no admin token is configured, 401 for any other token. */
public class AdminTokenFilter {

    private static final String ADMIN_PATH = "/api/admin/";

    private final RecordingsConfig config;

    public AdminTokenFilter(RecordingsConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Response checkAdminToken(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(ADMIN_PATH)) {
            return null;
        }
        String token = config.adminToken().filter(value -> !value.isBlank()).orElse(null);
        if (token == null) {
            return ErrorAnswers.response(ApiException.notFound("Not found."));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return ErrorAnswers.response(ApiException.notAuthenticated());
        }
        String presented = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
        // Constant time, so the token cannot be guessed from how long a wrong one takes to be refused.
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return ErrorAnswers.response(ApiException.authenticationFailed("Invalid admin token."));
        }
        return null;
    }
}
