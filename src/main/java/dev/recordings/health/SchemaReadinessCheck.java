package dev.recordings.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

import io.quarkus.runtime.Startup;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Ready only while the database holds every migration this build ships: a pod must not take traffic against a
 * schema it does not know (a restored old backup, or migrations that failed). Asks over the reactive pool, so the
 * probe never blocks and turns UP again by itself when the database comes back.
 */
@Readiness
@Startup
@ApplicationScoped
public class SchemaReadinessCheck implements AsyncHealthCheck {

    private static final String NAME = "Database schema migrated";

    private final Pool pool;
    private final String expectedVersion;

    /** Created at startup (see {@code @Startup}), where asking Flyway over JDBC may block. */
    public SchemaReadinessCheck(Pool pool, Flyway flyway) {
        this.pool = pool;
        MigrationInfo[] shipped = flyway.info().all();
        this.expectedVersion = shipped.length == 0 ? null : shipped[shipped.length - 1].getVersion().getVersion();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.preparedQuery("SELECT count(*) FROM flyway_schema_history WHERE success AND version = $1")
                .execute(Tuple.of(expectedVersion))
                .map(rows -> rows.iterator().next().getLong(0) > 0
                        ? HealthCheckResponse.named(NAME).up().withData("version", expectedVersion).build()
                        : HealthCheckResponse.named(NAME).down().withData("expected", expectedVersion).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("reason", "database unreachable").build());
    }
}
