package dev.recordings.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keys and memberships are kept in memory, yet a change made behind this replica's back (by another replica, or by
 * hand in the database) takes effect within a second. Each change here is made in the database directly, so that
 * nothing but the replica's own check can notice it.
 */
@QuarkusTest
class CallerCacheTest {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    @Inject
    Pool pool;

    @Inject
    MeterRegistry metrics;

    @Test
    void aKeyDeletedInTheDatabaseIsRefusedWithinASecond() {
        Api.Tenant tenant = Api.writer();
        assertEquals(200, list(tenant));
        sql("DELETE FROM personal_api_keys WHERE user_id = $1", tenant.userId());
        assertTakesEffect(() -> list(tenant), 401);
    }

    @Test
    void aMembershipRemovedInTheDatabaseIsRefusedWithinASecond() {
        Api.Tenant tenant = Api.writer();
        assertEquals(200, list(tenant));
        sql("DELETE FROM project_members WHERE user_id = $1", tenant.userId());
        assertTakesEffect(() -> list(tenant), 404);
    }

    @Test
    void aMembershipAddedInTheDatabaseIsHonouredWithinASecond() {
        Api.Tenant tenant = Api.writer();
        long other = Api.createProject();
        String otherProject = "/api/projects/" + other + "/desktop_recordings/";
        assertEquals(404, tenant.request().get(otherProject).statusCode());
        sql("INSERT INTO project_members (project_id, user_id) VALUES (" + other + ", $1)", tenant.userId());
        assertTakesEffect(() -> tenant.request().get(otherProject).statusCode(), 200);
    }

    /**
     * The check does not wait behind requests: with every connection of the pool busy (and more waiting), it still
     * runs five times a second, so a revocation is seen on time when the pool frees.
     */
    @Test
    void theCheckRunsWhileThePoolIsSaturated() {
        Counter checks = metrics.find("recordings.auth.version_checks").tag("outcome", "ok").counter();
        List<io.smallrye.mutiny.Uni<io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row>>> sleepers =
                new ArrayList<>();
        for (int index = 0; index < 25; index++) {
            sleepers.add(pool.query("SELECT pg_sleep(3)").execute());
        }
        var all = io.smallrye.mutiny.Uni.join().all(sleepers).andCollectFailures().subscribeAsCompletionStage();
        try {
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
            double before = checks.count();
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(2)).until(() -> true);
            assertFalse(all.isDone(), "the pool was still saturated");
            assertTrue(checks.count() - before >= 3, (checks.count() - before) + " checks in 1.5 s");
        } finally {
            all.join();
        }
    }

    private static int list(Api.Tenant tenant) {
        return tenant.request().get(tenant.recordings()).statusCode();
    }

    private void sql(String statement, long userId) {
        pool.preparedQuery(statement).execute(Tuple.of(userId)).await().atMost(Duration.ofSeconds(5));
    }

    /** Asks until the answer is the expected one, and fails if that took more than a second. */
    private static void assertTakesEffect(IntSupplier status, int expected) {
        long changed = System.nanoTime();
        while (status.getAsInt() != expected) {
            assertTrue(System.nanoTime() - changed < 3 * WITHIN.toNanos(), "still not " + expected + " after 3 s");
        }
        long took = (System.nanoTime() - changed) / 1_000_000;
        assertTrue(took < WITHIN.toMillis(), "took effect after " + took + " ms");
    }
}
