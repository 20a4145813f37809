package dev.recordings.error;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class ErrorShapeTest {

    @Test
    void unknownRouteIs404InTheContractsShape() {
        given().get("/nothing/here").then().statusCode(404).contentType(ContentType.JSON)
                .body("type", is("invalid_request")).body("code", is("not_found"));
        given().get("/api/unknown").then().statusCode(404).contentType(ContentType.JSON)
                .body("code", is("not_found"));
        Api.Tenant tenant = Api.writer();
        tenant.request().get("/api/projects/" + tenant.projectId() + "/desktop_recordings/x/y/z")
                .then().statusCode(404).contentType(ContentType.JSON).body("code", is("not_found"));
    }

    @Test
    void withoutAWebhookSecretTheWebhookEndpointDoesNotExist() {
        given().contentType("application/json").body("{}").post("/api/desktop_recordings/webhooks/recall")
                .then().statusCode(404).contentType(ContentType.JSON).body("code", is("not_found"));
    }

    @Test
    void wrongMethodIs405() {
        Api.Tenant tenant = Api.writer();
        tenant.request().delete(tenant.recordings()).then().statusCode(405).contentType(ContentType.JSON)
                .body("type", is("invalid_request")).body("code", is("method_not_allowed"));
        String id = tenant.createRecording();
        tenant.request().get(tenant.recordings() + id + "/append_segments/").then().statusCode(405);
    }

    @Test
    void anAnswerTheClientDoesNotAcceptIs406InTheContractsShape() {
        Api.Tenant tenant = Api.writer();
        tenant.request().accept("text/html").get(tenant.recordings()).then().statusCode(406)
                .contentType(ContentType.JSON).body("code", is("not_acceptable"));
    }

    @Test
    void aStringPostgreSqlCannotStoreIsRefusedAsInputNotAServerError() {
        Api.Tenant tenant = Api.writer();
        String id = tenant.createRecording();
        tenant.request().body("{\"notes\": \"a\\u0000b\"}").patch(tenant.recordings() + id + "/")
                .then().statusCode(400).body("code", is("invalid_input")).body("attr", is("notes"))
                .body(not(containsString("Exception"))).body(not(containsString("SQL")));
        tenant.request().body("{\"segments\": [{\"text\": \"\\u0000\"}]}")
                .post(tenant.recordings() + id + "/append_segments/")
                .then().statusCode(400).body("attr", is("segments__0__text"));
    }
}
