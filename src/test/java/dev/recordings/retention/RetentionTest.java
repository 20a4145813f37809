package dev.recordings.retention;

import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Per-project retention through the admin API, and the sweep that applies it (and prunes webhook deliveries). */
@QuarkusTest
class RetentionTest {

    @Inject
    Pool pool;

    private static String recording(Api.Tenant tenant, String startedAt) {
        return tenant.createRecording("{\"started_at\": \"" + startedAt + "\"}");
    }

    private long count(String sql, Tuple values) {
        return pool.preparedQuery(sql).execute(values).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aSweepDeletesWhatIsPastItsProjectsRetentionAndNothingElse() {
        Api.Tenant kept = Api.writer();
        Api.Tenant limited = Api.writer();
        String old = recording(limited, "2020-01-01T00:00:00Z");
        String recent = recording(limited, OffsetDateTime.now().minusDays(3).toString());
        String oldButKeptForever = recording(kept, "2020-01-01T00:00:00Z");
        limited.request().header("Prefer", "return=minimal")
                .body("{\"segments\": [{\"timestamp\": 1, \"text\": \"gone soon\"}]}")
                .post(limited.recordings() + old + "/append_segments/").then().statusCode(200);

        Api.admin().get("/api/admin/projects/" + limited.projectId()).then().statusCode(200)
                .body("retention_days", nullValue());
        Api.admin().body("{\"retention_days\": 30}").patch("/api/admin/projects/" + limited.projectId())
                .then().statusCode(200).body("id", is((int) limited.projectId())).body("retention_days", is(30));

        long deleted = Api.admin().post("/api/admin/retention/run").then().statusCode(200).extract().jsonPath()
                .getLong("deleted");
        assertTrue(deleted >= 1, "deleted " + deleted);
        limited.request().get(limited.recordings() + old + "/").then().statusCode(404);
        limited.request().get(limited.recordings() + recent + "/").then().statusCode(200);
        kept.request().get(kept.recordings() + oldButKeptForever + "/").then().statusCode(200);
        assertEquals(0L, count("SELECT count(*) FROM transcript_chunks WHERE recording_id = $1",
                Tuple.of(UUID.fromString(old))), "the transcript went with it");

        Api.admin().body("{\"retention_days\": null}").patch("/api/admin/projects/" + limited.projectId())
                .then().statusCode(200).body("retention_days", nullValue());
    }

    @Test
    void whileAnotherReplicaSweepsThisOneSkips() {
        Api.Tenant limited = Api.writer();
        String old = recording(limited, "2020-01-01T00:00:00Z");
        Api.admin().body("{\"retention_days\": 1}").patch("/api/admin/projects/" + limited.projectId())
                .then().statusCode(200);
        // another replica's sweep: it holds the lease
        pool.query("UPDATE retention_lease SET holder = 'another replica', held_until = now() + interval '1 minute'")
                .execute().await().indefinitely();
        Api.admin().post("/api/admin/retention/run").then().statusCode(200).body("deleted", is(0));
        limited.request().get(limited.recordings() + old + "/").then().statusCode(200);
        pool.query("UPDATE retention_lease SET held_until = '-infinity'").execute().await().indefinitely();
        Api.admin().post("/api/admin/retention/run").then().statusCode(200);
        limited.request().get(limited.recordings() + old + "/").then().statusCode(404);
    }

    /**
     * Safe behind PgBouncer in transaction mode: a sweep leaves no lock on its server connection (a session-level
     * advisory lock would stay with whichever client the pooler hands that connection to next).
     */
    @Test
    void aSweepLeavesNoLockOnItsConnection() {
        Api.admin().post("/api/admin/retention/run").then().statusCode(200);
        assertEquals(0L, count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'", Tuple.tuple()));
        assertEquals(1L, count("SELECT count(*) FROM retention_lease WHERE held_until < now()", Tuple.tuple()),
                "the lease is given back as the sweep ends");
    }

    @Test
    void oldWebhookDeliveriesArePruned() {
        pool.query("INSERT INTO recall_webhook_deliveries (svix_id, event, received_at) VALUES "
                + "('old-delivery', 'sdk_upload.complete', now() - interval '8 days'), "
                + "('new-delivery', 'sdk_upload.complete', now() - interval '6 days')").execute()
                .await().indefinitely();
        Api.admin().post("/api/admin/retention/run").then().statusCode(200);
        assertEquals(1L, count("SELECT count(*) FROM recall_webhook_deliveries WHERE svix_id = ANY($1)",
                Tuple.of(new String[] { "old-delivery", "new-delivery" })));
    }

    @Test
    void retentionDaysIsAnIntegerFrom1To36500OrNull() {
        long project = Api.createProject();
        String path = "/api/admin/projects/" + project;
        Api.admin().body("{\"retention_days\": 0}").patch(path).then().statusCode(400)
                .body("attr", is("retention_days"));
        Api.admin().body("{\"retention_days\": 36501}").patch(path).then().statusCode(400)
                .body("attr", is("retention_days"));
        Api.admin().body("{\"retention_days\": \"30\"}").patch(path).then().statusCode(400)
                .body("attr", is("retention_days"));
        Api.admin().body("{\"retention_days\": 36500}").patch(path).then().statusCode(200)
                .body("retention_days", is(36500));
        Api.admin().get(path).then().statusCode(200).body("retention_days", is(36500));
        Api.admin().get("/api/admin/projects/999999999").then().statusCode(404);
        RestAssured.given().get(path).then().statusCode(401);
    }
}
