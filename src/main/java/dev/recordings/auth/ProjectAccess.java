package dev.recordings.auth;

import jakarta.enterprise.context.ApplicationScoped;

import dev.recordings.error.ApiException;
import dev.recordings.project.MembershipRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Whether a caller may touch a project: the key's project restriction first (403), then membership (404, so that
 * nobody learns whether a project they cannot see exists).
 */
@ApplicationScoped
public class ProjectAccess {

    private final MembershipRepository memberships;

    public ProjectAccess(MembershipRepository memberships) {
        this.memberships = memberships;
    }

    /** The project id, once the caller is allowed in. */
    public Uni<Long> check(ApiCaller caller, String projectIdParameter) {
        long projectId;
        try {
            projectId = Long.parseLong(projectIdParameter);
        } catch (NumberFormatException e) {
            return Uni.createFrom().failure(projectNotFound());
        }
        if (!caller.mayUse(projectId)) {
            return Uni.createFrom().failure(ApiException.permissionDenied(
                    "API key is not allowed to access this project."));
        }
        return Panache.withSession(() -> memberships.isMember(projectId, caller.userId()))
                .map(member -> {
                    if (!member) {
                        throw projectNotFound();
                    }
                    return projectId;
                });
    }

    private static ApiException projectNotFound() {
        return ApiException.notFound("Project not found.");
    }
}
