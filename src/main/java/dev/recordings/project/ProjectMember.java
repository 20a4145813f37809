package dev.recordings.project;

import java.io.Serializable;
import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A user's membership of a project: every member sees and writes every recording of the project. */
@Entity
@Table(name = "project_members")
public class ProjectMember {

    @EmbeddedId
    public Key id;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    public static ProjectMember of(long projectId, long userId) {
        ProjectMember member = new ProjectMember();
        member.id = new Key(projectId, userId);
        return member;
    }

    @Embeddable
    public record Key(@Column(name = "project_id") Long projectId, @Column(name = "user_id") Long userId)
            implements Serializable {
    }
}
