package dev.recordings.auth;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<PersonalApiKey, UUID> {

    private final Pool pool;

    public ApiKeyRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * The caller a key hash stands for, with the projects its user is a member of, in one query on the reactive
     * pool: every request runs it, so it must cost one round trip and no Hibernate session. Null for no such key.
     */
    public Uni<ApiCaller> findCaller(String secureValue) {
        return pool.preparedQuery("""
                        SELECT k.id, k.user_id, k.scopes, k.scoped_teams,
                               ARRAY(SELECT m.project_id FROM project_members m WHERE m.user_id = k.user_id) AS projects
                        FROM personal_api_keys k
                        WHERE k.secure_value = $1""")
                .execute(Tuple.of(secureValue))
                .map(rows -> rows.size() == 0 ? null : caller(rows.iterator().next()));
    }

    /** A key's use of a project. */
    public record Grant(UUID keyId, long projectId) {
    }

    /**
     * Which of the grants still hold: the key exists (it is not revoked), may use the project, and its user is still
     * a member of it. One query for all of a pod's live streams.
     */
    public Uni<Set<Grant>> stillGranted(List<Grant> grants) {
        return pool.preparedQuery("""
                        SELECT g.key_id, g.project_id
                        FROM unnest($1::uuid[], $2::bigint[]) AS g(key_id, project_id)
                        WHERE EXISTS (SELECT 1 FROM personal_api_keys k
                                      JOIN project_members m ON m.user_id = k.user_id AND m.project_id = g.project_id
                                      WHERE k.id = g.key_id
                                        AND (k.scoped_teams IS NULL OR g.project_id = ANY (k.scoped_teams)))""")
                .execute(Tuple.of(grants.stream().map(Grant::keyId).toArray(UUID[]::new),
                        grants.stream().map(Grant::projectId).toArray(Long[]::new)))
                .map(rows -> {
                    Set<Grant> held = new java.util.HashSet<>();
                    rows.forEach(row -> held.add(new Grant(row.getUUID("key_id"), row.getLong("project_id"))));
                    return held;
                });
    }

    private static ApiCaller caller(Row row) {
        Long[] scopedTeams = row.getArrayOfLongs("scoped_teams");
        return new ApiCaller(row.getUUID("id"), row.getLong("user_id"), List.of(row.getArrayOfStrings("scopes")),
                scopedTeams == null ? null : List.of(scopedTeams), Set.of(row.getArrayOfLongs("projects")));
    }
}
