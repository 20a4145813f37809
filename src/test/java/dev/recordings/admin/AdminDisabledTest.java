package dev.recordings.admin;

import static org.hamcrest.Matchers.is;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(AdminDisabledTest.NoAdminToken.class)
class AdminDisabledTest {

    public static class NoAdminToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recordings.admin-token", "");
        }
    }

    @Test
    void withoutAnAdminTokenTheProvisioningApiDoesNotExist() {
        Api.admin().body("{\"name\": \"x\"}").post("/api/admin/projects").then().statusCode(404)
                .body("code", is("not_found"));
        Api.admin().put("/api/admin/projects/1/members/1").then().statusCode(404);
    }
}
