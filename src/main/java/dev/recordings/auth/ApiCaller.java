package dev.recordings.auth;

import java.util.List;

import io.quarkus.security.identity.SecurityIdentity;

/** Who is calling: the key's user, and the projects the key is restricted to (null: none). */
public record ApiCaller(long userId, List<Long> scopedProjects) {

    static final String ATTRIBUTE = "dev.recordings.caller";

    public static ApiCaller of(SecurityIdentity identity) {
        return identity.getAttribute(ATTRIBUTE);
    }

    public boolean mayUse(long projectId) {
        return scopedProjects == null || scopedProjects.contains(projectId);
    }
}
