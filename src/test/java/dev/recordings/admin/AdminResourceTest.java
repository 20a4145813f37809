package dev.recordings.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AdminResourceTest {

    @Test
    void provisionsProjectsUsersMembershipsAndKeys() {
        long project = Api.admin().body("{\"name\": \" Sales \"}").post("/api/admin/projects/")
                .then().statusCode(201).body("name", is("Sales")).extract().jsonPath().getLong("id");
        long user = Api.admin().body("{\"email\": \"ann@example.com\"}").post("/api/admin/users")
                .then().statusCode(201).body("email", is("ann@example.com")).extract().jsonPath().getLong("id");
        Api.admin().put("/api/admin/projects/" + project + "/members/" + user).then().statusCode(204);
        Api.admin().put("/api/admin/projects/" + project + "/members/" + user + "/").then().statusCode(204);

        Api.admin().body("{\"label\": \"laptop\", \"scopes\": [\"desktop_recording:read\"], \"scoped_teams\": ["
                + project + "]}").post("/api/admin/users/" + user + "/personal_api_keys")
                .then().statusCode(201)
                .body("label", is("laptop"))
                .body("scopes", is(List.of("desktop_recording:read")))
                .body("scoped_teams", is(List.of((int) project)))
                .body("value", matchesPattern("phx_[A-Za-z0-9_-]{40,}"))
                .body("id", matchesPattern("[0-9a-f-]{36}"));
        Api.admin().body("{\"label\": \"any\", \"scopes\": [\"*\"]}")
                .post("/api/admin/users/" + user + "/personal_api_keys")
                .then().statusCode(201).body("$", hasKey("scoped_teams")).body("scoped_teams", nullValue());

        Api.admin().delete("/api/admin/projects/" + project + "/members/" + user).then().statusCode(204);
        Api.admin().delete("/api/admin/projects/" + project + "/members/" + user).then().statusCode(204);
    }

    @Test
    void wrongOrMissingAdminTokenIs401() {
        given().contentType("application/json").body("{\"name\": \"x\"}").post("/api/admin/projects")
                .then().statusCode(401).body("code", is("not_authenticated"));
        given().header("Authorization", "Bearer wrong").contentType("application/json").body("{\"name\": \"x\"}")
                .post("/api/admin/projects").then().statusCode(401).body("code", is("authentication_failed"));
        Api.Tenant tenant = Api.tenant("*");
        given().header("Authorization", "Bearer " + tenant.key()).contentType("application/json")
                .body("{\"name\": \"x\"}").post("/api/admin/projects").then().statusCode(401);
    }

    @Test
    void invalidProvisioningInputIs400AndUnknownThingsAre404() {
        Api.admin().body("{}").post("/api/admin/projects").then().statusCode(400)
                .body("code", is("required")).body("attr", is("name"));
        Api.admin().body("{\"email\": \"not-an-email\"}").post("/api/admin/users").then().statusCode(400)
                .body("attr", is("email"));
        long user = Api.createUser();
        Api.admin().body("{\"label\": \"x\", \"scopes\": [\"admin:everything\"]}")
                .post("/api/admin/users/" + user + "/personal_api_keys")
                .then().statusCode(400).body("code", is("invalid_choice")).body("attr", is("scopes__0"));
        Api.admin().body("{\"label\": \"x\", \"scopes\": []}").post("/api/admin/users/" + user + "/personal_api_keys")
                .then().statusCode(400).body("code", is("min_length"));
        Api.admin().body("{\"label\": \"x\", \"scopes\": [\"*\"]}").post("/api/admin/users/999999/personal_api_keys")
                .then().statusCode(404);
        Api.admin().put("/api/admin/projects/999999/members/" + user).then().statusCode(404)
                .body("detail", is("Project not found."));
        Api.admin().delete("/api/admin/personal_api_keys/not-a-key").then().statusCode(404);
        String email = "dup-" + user + "@example.com";
        Api.admin().body("{\"email\": \"" + email + "\"}").post("/api/admin/users").then().statusCode(201);
        Api.admin().body("{\"email\": \"" + email + "\"}").post("/api/admin/users").then().statusCode(400)
                .body("code", is("unique"));
    }
}
