package dev.recordings.auth;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/**
 * The number every replica watches to forget the callers it keeps ({@link CallerCache}): moved by each change to keys
 * or memberships, in the transaction of the change. On PostgreSQL triggers move it too (V6__auth_changes.sql), so a
 * change made by hand is seen; on Citus they cannot (V10__distributed_by_recording.sql), so the provisioning API moves
 * it itself, on both.
 */
public final class AuthVersion {

    static final String READ = "SELECT version FROM auth_version";
    private static final String MOVE = "UPDATE auth_version SET version = version + 1";

    private AuthVersion() {
    }

    /** Moves the version in the session's transaction. */
    public static Uni<Void> moved(Mutiny.Session session) {
        return session.createNativeQuery(MOVE).executeUpdate().replaceWithVoid();
    }
}
