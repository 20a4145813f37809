package dev.recordings.auth;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling: the key (its id), the key's user and scopes, the projects the key is restricted to (null: none), and the projects
 * the user is a member of, all read with the key on this request.
 */
public record ApiCaller(UUID keyId, long userId, List<String> scopes, List<Long> scopedProjects,
        Set<Long> memberOf) {

    static final String ATTRIBUTE = "dev.recordings.caller";

    public static ApiCaller of(SecurityIdentity identity) {
        return identity.getAttribute(ATTRIBUTE);
    }

    public boolean mayUse(long projectId) {
        return scopedProjects == null || scopedProjects.contains(projectId);
    }

    public boolean isMemberOf(long projectId) {
        return memberOf.contains(projectId);
    }
}
