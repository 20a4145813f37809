package dev.recordings.auth;

import jakarta.enterprise.context.ApplicationScoped;

import dev.recordings.error.ApiException;
import io.smallrye.mutiny.Uni;

/**
 * Whether a caller may touch a project: the key's project restriction first (403), then membership (404, so that
 * nobody learns whether a project they cannot see exists). Both were read with the key, so this asks no database.
 */
@ApplicationScoped
public class ProjectAccess {

    /** The project id, once the caller is allowed in. */
    public Uni<Long> check(ApiCaller caller, String projectIdParameter) {
        return Uni.createFrom().item(() -> {
            long projectId;
            try {
                projectId = Long.parseLong(projectIdParameter);
            } catch (NumberFormatException e) {
                throw projectNotFound();
            }
            if (!caller.mayUse(projectId)) {
                throw ApiException.permissionDenied("API key is not allowed to access this project.");
            }
            if (!caller.isMemberOf(projectId)) {
                throw projectNotFound();
            }
            return projectId;
        });
    }

    private static ApiException projectNotFound() {
        return ApiException.notFound("Project not found.");
    }
}
