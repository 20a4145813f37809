package dev.recordings.admin;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.recordings.config.RecordingsConfig;
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

    private final RecordingsConfig config;
    private final ProjectRepository projects;
    private final UserRepository users;
    private final MembershipRepository memberships;
    private final AdminService admin;

    public DeveloperBootstrap(RecordingsConfig config, ProjectRepository projects, UserRepository users,
            MembershipRepository memberships, AdminService admin) {
        this.config = config;
        this.projects = projects;
        this.users = users;
        this.memberships = memberships;
        this.admin = admin;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (!config.embeddedDb().active()) {
            return;
        }
        AdminViews.KeyView key = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::bootstrap));
        if (key != null) {
            String port = System.getProperty("quarkus.http.port",
                    org.eclipse.microprofile.config.ConfigProvider.getConfig()
                            .getOptionalValue("quarkus.http.port", String.class).orElse("8080"));
            LOG.infof("Created project 1, user %s and a key with every scope. Try:%n"
                    + "  curl -H 'Authorization: Bearer %s' http://localhost:%s/api/projects/1/desktop_recordings/",
                    EMAIL, key.value(), port);
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
