package dev.recordings.project;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class MembershipRepository implements PanacheRepositoryBase<ProjectMember, ProjectMember.Key> {

    public Uni<Boolean> isMember(long projectId, long userId) {
        return count("id.projectId = ?1 and id.userId = ?2", projectId, userId).map(count -> count > 0);
    }
}
