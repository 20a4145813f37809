package dev.recordings.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(RestartableDatabase.class)
class HealthTest {

    @Test
    void readinessFollowsTheDatabaseWhileLivenessStaysUp() throws Exception {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem("Database schema migrated"));
        given().get("/q/health/started").then().statusCode(200);

        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        RestartableDatabase.stopServer();
        try {
            awaitReadiness(503, "DOWN");
            given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
            // while the database is away every API request is a 503 to retry, never a 500
            tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(503)
                    .header("Retry-After", "2").body("code", is("service_unavailable"));
            tenant.request().header("Prefer", "return=minimal")
                    .body("{\"segments\": [{\"timestamp\": 1, \"text\": \"during\"}]}")
                    .post(tenant.recordings() + recording + "/append_segments/").then().statusCode(503)
                    .body("code", is("service_unavailable"));
        } finally {
            RestartableDatabase.startServer();
        }
        awaitReadiness(200, "UP");
        tenant.request().header("Prefer", "return=minimal")
                .body("{\"segments\": [{\"timestamp\": 1, \"text\": \"after\"}]}")
                .post(tenant.recordings() + recording + "/append_segments/").then().statusCode(200)
                .body("segment_count", is(1));
    }

    /**
     * A server that takes no writes (a standby, or a primary demoted in a failover; here read-only by
     * configuration) is an outage: 503 with Retry-After for writes, never 500; readiness DOWN until a writable server
     * answers; this replica's idle sessions on it ended (so that new ones can reach a new primary); and writes
     * succeed again as soon as it takes them, with nothing acknowledged lost.
     */
    @Test
    void aDatabaseThatRefusesWritesIsAnOutageNotAnError() throws Exception {
        Api.Tenant tenant = Api.writer();
        String recording = tenant.createRecording();
        tenant.appendMinimal(recording, "[{\"text\": \"before\"}]").statusCode(200);
        try (Connection admin = DriverManager.getConnection(RestartableDatabase.jdbcUrl());
                Statement sql = admin.createStatement()) {
            sql.execute("SET default_transaction_read_only = off");
            sql.execute("ALTER SYSTEM SET default_transaction_read_only = on");
            sql.execute("SELECT pg_reload_conf()");
            Thread.sleep(500);
            Set<Integer> sessions = sessionsOfTheService(sql);
            try {
                tenant.request().header("Prefer", "return=minimal").body("{\"segments\": [{\"text\": \"during\"}]}")
                        .post(tenant.recordings() + recording + "/append_segments/").then().statusCode(503)
                        .header("Retry-After", "2").body("code", is("service_unavailable"));
                tenant.request().body("{}").post(tenant.recordings()).then().statusCode(503)
                        .body("code", is("service_unavailable"));
                awaitReadiness(503, "DOWN");
                for (int check = 0; check < 5; check++) {
                    given().get("/q/health/ready").then().statusCode(503);
                    Thread.sleep(200);
                }
                Instant deadline = Instant.now().plusSeconds(5);
                while (sessionsOfTheService(sql).containsAll(sessions) && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                }
                assertFalse(sessionsOfTheService(sql).containsAll(sessions),
                        "the sessions on the read-only server were ended, not reused");
            } finally {
                sql.execute("ALTER SYSTEM RESET default_transaction_read_only");
                sql.execute("SELECT pg_reload_conf()");
            }
        }
        awaitReadiness(200, "UP");
        tenant.appendMinimal(recording, "[{\"text\": \"after\"}]").statusCode(200);
        assertEquals(List.of("before", "after"), tenant.read(recording).getList("transcript_segments.text"));
    }

    private static Set<Integer> sessionsOfTheService(Statement sql) throws Exception {
        Set<Integer> pids = new HashSet<>();
        try (ResultSet rows = sql.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name LIKE "
                + "'desktop-recordings-%'")) {
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
        }
        return pids;
    }

    private static void awaitReadiness(int status, String state) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            var answer = given().get("/q/health/ready");
            if (answer.statusCode() == status && state.equals(answer.path("status"))) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("readiness never became " + state + ": " + answer.asString());
            }
            Thread.sleep(250);
        }
    }
}
