package dev.recordings.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Ready only while the database takes writes (not a standby, not read-only) and holds the schema this build needs:
 * a pod must not take traffic it can only refuse, nor against a schema it does not know (a restored old backup, or
 * migrations that failed). Asks over the reactive pool, so the probe never
 * blocks and turns UP again by itself when the database comes back.
 */
@Readiness
@ApplicationScoped
public class SchemaReadinessCheck implements AsyncHealthCheck {

    /**
     * The newest migration in db/migration. A constant rather than asking Flyway at start-up, which costs a second
     * JDBC connection and half a second of every pod start; SchemaVersionTest keeps it equal to the newest file.
     */
    public static final String SCHEMA_VERSION = "10";
    private static final String NAME = "Database schema migrated";

    private final Pool pool;

    public SchemaReadinessCheck(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.preparedQuery("SELECT count(*), pg_is_in_recovery() OR current_setting('transaction_read_only')"
                + "::boolean FROM flyway_schema_history WHERE success AND version = $1")
                .execute(Tuple.of(SCHEMA_VERSION))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getBoolean(1)) {
                        return HealthCheckResponse.named(NAME).down().withData("reason", "database read-only")
                                .build();
                    }
                    return row.getLong(0) > 0
                            ? HealthCheckResponse.named(NAME).up().withData("version", SCHEMA_VERSION).build()
                            : HealthCheckResponse.named(NAME).down().withData("expected", SCHEMA_VERSION).build();
                })
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("reason", "database unreachable").build());
    }
}
