package dev.recordings.admin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.uuid.Generators;

import org.hibernate.exception.ConstraintViolationException;

import dev.recordings.auth.ApiKeyRepository;
import dev.recordings.auth.ApiKeys;
import dev.recordings.auth.AuthVersion;
import dev.recordings.auth.PersonalApiKey;
import dev.recordings.auth.Scopes;
import dev.recordings.error.ApiException;
import dev.recordings.error.ConstraintNames;
import dev.recordings.json.JsonFields;
import dev.recordings.project.AppUser;
import dev.recordings.project.MembershipRepository;
import dev.recordings.project.Project;
import dev.recordings.project.ProjectMember;
import dev.recordings.project.ProjectRepository;
import dev.recordings.project.UserRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Provisioning: projects, users, memberships and personal API keys. */
@ApplicationScoped
public class AdminService {

    private final ProjectRepository projects;
    private final UserRepository users;
    private final MembershipRepository memberships;
    private final ApiKeyRepository keys;

    public AdminService(ProjectRepository projects, UserRepository users, MembershipRepository memberships,
            ApiKeyRepository keys) {
        this.projects = projects;
        this.users = users;
        this.memberships = memberships;
        this.keys = keys;
    }

    @WithTransaction
    public Uni<AdminViews.ProjectView> createProject(ObjectNode body) {
        return Uni.createFrom().item(() -> {
            if (!body.has("name")) {
                throw JsonFields.required("name");
            }
            return JsonFields.string(body.get("name"), "name", false, false, AdminRequests.NAME_MAX);
        }).chain(name -> {
            Project project = new Project();
            project.name = name;
            return projects.persist(project).map(AdminViews.ProjectView::of);
        });
    }

    @WithTransaction
    public Uni<AdminViews.ProjectView> project(long projectId) {
        return projects.findById(projectId).map(project -> {
            if (project == null) {
                throw ApiException.notFound("Project not found.");
            }
            return AdminViews.ProjectView.of(project);
        });
    }

    /** Sets the fields the body has (only {@code retention_days}); the others keep their values. */
    @WithTransaction
    public Uni<AdminViews.ProjectView> updateProject(long projectId, ObjectNode body) {
        return Uni.createFrom().item(() -> body.has("retention_days")
                ? Optional.ofNullable(JsonFields.integer(body.get("retention_days"), "retention_days", true,
                        AdminRequests.RETENTION_DAYS_MIN, AdminRequests.RETENTION_DAYS_MAX))
                : null)
                .chain(retentionDays -> projects.findById(projectId).map(project -> {
                    if (project == null) {
                        throw ApiException.notFound("Project not found.");
                    }
                    if (retentionDays != null) {
                        project.retentionDays = retentionDays.map(Long::intValue).orElse(null);
                    }
                    return AdminViews.ProjectView.of(project);
                }));
    }

    @WithTransaction
    public Uni<AdminViews.UserView> createUser(ObjectNode body) {
        return Uni.createFrom().item(() -> {
            if (!body.has("email")) {
                throw JsonFields.required("email");
            }
            String email = JsonFields.string(body.get("email"), "email", false, false, AdminRequests.EMAIL_MAX);
            if (!email.matches("[^@\\s]+@[^@\\s]+")) {
                throw ApiException.validation("invalid_input", "Enter a valid email address.", "email");
            }
            return email;
        }).chain(email -> {
            AppUser user = new AppUser();
            user.email = email;
            // The unique index is the check: a count first would let two concurrent creations both pass it.
            return users.persistAndFlush(user)
                    .onFailure(AdminService::isDuplicateEmail).transform(duplicate -> ApiException.validation(
                            "unique", "A user with this email already exists.", "email"))
                    .map(saved -> new AdminViews.UserView(saved.id, saved.email));
        });
    }

    private static boolean isDuplicateEmail(Throwable failure) {
        return failure instanceof ConstraintViolationException violation
                && violation.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE
                && ConstraintNames.is(violation.getConstraintName(), "users_email_key");
    }

    @WithTransaction
    public Uni<Void> addMember(long projectId, long userId) {
        return requireProjectAndUser(projectId, userId)
                .chain(() -> memberships.addIfAbsent(projectId, userId))
                .chain(() -> memberships.getSession()).chain(AuthVersion::moved);
    }

    @WithTransaction
    public Uni<Void> removeMember(long projectId, long userId) {
        return requireProjectAndUser(projectId, userId)
                .chain(() -> memberships.deleteById(new ProjectMember.Key(projectId, userId)))
                .chain(() -> memberships.getSession()).chain(AuthVersion::moved);
    }

    @WithTransaction
    public Uni<AdminViews.KeyView> createKey(long userId, ObjectNode body) {
        return Uni.createFrom().item(() -> NewKey.of(body)).chain(key -> users.findById(userId).chain(user -> {
            if (user == null) {
                throw ApiException.notFound("User not found.");
            }
            return insertKey(userId, key.label(), key.scopes(), key.scopedTeams());
        }));
    }

    /** A validated key request. */
    private record NewKey(String label, List<String> scopes, List<Long> scopedTeams) {

        static NewKey of(ObjectNode body) {
            if (!body.has("label")) {
                throw JsonFields.required("label");
            }
            String label = JsonFields.string(body.get("label"), "label", false, false, AdminRequests.LABEL_MAX);
            if (!body.has("scopes")) {
                throw JsonFields.required("scopes");
            }
            return new NewKey(label, AdminService.scopes(JsonFields.list(body.get("scopes"), "scopes", false)),
                    AdminService.scopedTeams(body.get("scoped_teams")));
        }
    }

    /** Stores a new key for the user and answers its value, which is not kept anywhere. */
    Uni<AdminViews.KeyView> insertKey(long userId, String label, List<String> scopes, List<Long> scopedTeams) {
        String value = ApiKeys.newValue();
        PersonalApiKey key = new PersonalApiKey();
        key.id = Generators.timeBasedEpochGenerator().generate();
        key.userId = userId;
        key.label = label;
        key.secureValue = ApiKeys.hash(value);
        key.maskValue = ApiKeys.mask(value);
        key.scopes = scopes.toArray(String[]::new);
        key.scopedTeams = scopedTeams == null ? null : scopedTeams.toArray(Long[]::new);
        return keys.persist(key).map(saved -> new AdminViews.KeyView(saved.id, saved.label, scopes, scopedTeams,
                value));
    }

    @WithTransaction
    public Uni<Void> revokeKey(String keyId) {
        UUID id;
        try {
            id = UUID.fromString(keyId);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(ApiException.notFound("Not found."));
        }
        return keys.deleteById(id).chain(deleted -> {
            if (!deleted) {
                throw ApiException.notFound("Not found.");
            }
            return keys.getSession().chain(AuthVersion::moved);
        });
    }

    private Uni<Void> requireProjectAndUser(long projectId, long userId) {
        return projects.findById(projectId).chain(project -> {
            if (project == null) {
                throw ApiException.notFound("Project not found.");
            }
            return users.findById(userId);
        }).map(user -> {
            if (user == null) {
                throw ApiException.notFound("User not found.");
            }
            return null;
        });
    }

    private static List<String> scopes(ArrayNode values) {
        if (values.isEmpty()) {
            throw ApiException.validation("min_length", "This list may not be empty.", "scopes");
        }
        LinkedHashSet<String> scopes = new LinkedHashSet<>();
        for (int index = 0; index < values.size(); index++) {
            scopes.add(JsonFields.choice(values.get(index), "scopes__" + index, false, Scopes.KNOWN));
        }
        return new ArrayList<>(scopes);
    }

    private static List<Long> scopedTeams(JsonNode value) {
        ArrayNode values = JsonFields.list(value, "scoped_teams", true);
        if (values == null) {
            return null;
        }
        List<Long> teams = new ArrayList<>();
        for (int index = 0; index < values.size(); index++) {
            teams.add(JsonFields.integer(values.get(index), "scoped_teams__" + index, false, 1, Long.MAX_VALUE));
        }
        return teams;
    }
}
