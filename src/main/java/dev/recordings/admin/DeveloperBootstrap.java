package dev.recordings.admin;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.recordings.db.EmbeddedPostgresConfigSourceFactory;
import dev.recordings.project.AppUser;
import dev.recordings.project.MembershipRepository;
import dev.recordings.project.Project;
import dev.recordings.project.ProjectMember;
import dev.recordings.project.ProjectRepository;
import dev.recordings.project.UserRepository;
import dev.recordings.auth.Scopes;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * On a fresh embedded database, creates project 1, a user and a key with every scope, and prints a curl command
 * that works as it is: a newcomer can use the API without the provisioning API.
 */
@ApplicationScoped
public class DeveloperBootstrap {

    private static final Logger LOG = Logger.getLogger(DeveloperBootstrap.class);
    static final String EMAIL = "developer@localhost";

    private final boolean onEmbeddedDatabase;
    private final ProjectRepository projects;
    private final UserRepository users;
    private final MembershipRepository memberships;
    private final AdminService admin;
    private final int httpPort;

    public DeveloperBootstrap(Config config, ProjectRepository projects, UserRepository users,
            MembershipRepository memberships, AdminService admin,
            @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        this.httpPort = httpPort;
        this.onEmbeddedDatabase = EmbeddedPostgresConfigSourceFactory.inUse(config);
        this.projects = projects;
        this.users = users;
        this.memberships = memberships;
        this.admin = admin;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (!onEmbeddedDatabase) {
            return;
        }
        AdminViews.KeyView key = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::bootstrap));
        if (key != null) {
            LOG.infof("Created project 1, user %s and a key with every scope (shown once, below).", EMAIL);
            // Printed, not logged: keys never go into log lines, and this one exists only on a developer's
            // embedded database.
            System.out.printf("%n  Try it:  curl -H 'Authorization: Bearer %s' "
                    + "http://localhost:%d/api/projects/1/desktop_recordings/%n%n", key.value(), httpPort);
        }
    }

    private Uni<AdminViews.KeyView> bootstrap() {
        return projects.count().chain(count -> {
            if (count > 0) {
                return Uni.createFrom().nullItem();
            }
            Project project = new Project();
            project.name = "Default project";
            AppUser user = new AppUser();
            user.email = EMAIL;
            return projects.persist(project)
                    .chain(() -> users.persist(user))
                    .chain(() -> memberships.persist(ProjectMember.of(project.id, user.id)))
                    .chain(() -> admin.insertKey(user.id, "developer", List.of(Scopes.ALL), null));
        });
    }
}
