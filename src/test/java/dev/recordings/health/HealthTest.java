package dev.recordings.health;

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

        RestartableDatabase.stopServer();
        try {
            awaitReadiness(503, "DOWN");
            given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        } finally {
            RestartableDatabase.startServer();
        }
        awaitReadiness(200, "UP");
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
