package dev.recordings.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.recordings.project.Project;

/** What the provisioning API answers. */
final class AdminViews {

    private AdminViews() {
    }

    @RegisterForReflection
    @Schema(name = "AdminProject")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ProjectView(long id, String name,
            @Schema(nullable = true, description = "Days a recording is kept after its start; null: forever.")
            Integer retentionDays) {

        static ProjectView of(Project project) {
            return new ProjectView(project.id, project.name, project.retentionDays);
        }
    }

    @RegisterForReflection
    @Schema(name = "RetentionRun")
    record RetentionRun(@Schema(description = "Recordings deleted by this sweep.") long deleted) {
    }

    @RegisterForReflection
    @Schema(name = "AdminUser")
    record UserView(long id, String email) {
    }

    @RegisterForReflection
    @Schema(name = "AdminPersonalApiKey")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record KeyView(UUID id, String label, List<String> scopes,
            @Schema(nullable = true) List<Long> scopedTeams,
            @Schema(description = "The key itself, shown only in this answer.") String value) {
    }
}
