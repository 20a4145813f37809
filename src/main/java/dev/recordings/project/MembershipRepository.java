package dev.recordings.project;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class MembershipRepository implements PanacheRepositoryBase<ProjectMember, ProjectMember.Key> {
}
