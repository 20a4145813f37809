package dev.recordings.project;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class MembershipRepository implements PanacheRepositoryBase<ProjectMember, ProjectMember.Key> {

    /**
     * Makes the user a member, in the caller's transaction: one statement that is a no-op for an existing member (a
     * look-up first would let two concurrent calls both insert, and the second fail).
     */
    public Uni<Void> addIfAbsent(long projectId, long userId) {
        return getSession().chain(session -> session.createNativeQuery("INSERT INTO project_members "
                + "(project_id, user_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING").setParameter(1, projectId)
                .setParameter(2, userId).executeUpdate()).replaceWithVoid();
    }
}
