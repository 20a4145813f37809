package dev.recordings.health;

import dev.recordings.support.Api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

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
