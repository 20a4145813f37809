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

    private static ApiCaller caller(Row row) {
        Long[] scopedTeams = row.getArrayOfLongs("scoped_teams");
        return new ApiCaller(row.getUUID("id"), row.getLong("user_id"), List.of(row.getArrayOfStrings("scopes")),
                scopedTeams == null ? null : List.of(scopedTeams), Set.of(row.getArrayOfLongs("projects")));
    }
}
