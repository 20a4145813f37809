package dev.recordings.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class AuthorizationTest {

    private static final String READ = "desktop_recording:read";
    private static final String WRITE = "desktop_recording:write";

    @Test
    void noKeyIs401NotAuthenticatedWithBearerChallenge() {
        Api.Tenant tenant = Api.writer();
        given().get(tenant.recordings())
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType(ContentType.JSON)
                .body("type", is("authentication_error"))
                .body("code", is("not_authenticated"))
                .body("attr", nullValue());
    }

    @Test
    void malformedOrUnknownKeyIs401AuthenticationFailed() {
        Api.Tenant tenant = Api.writer();
        for (String header : List.of("Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer",
                "Bearer phx_" + "a".repeat(43), tenant.key())) {
            given().header("Authorization", header).get(tenant.recordings())
                    .then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer")
                    .body("code", is("authentication_failed"));
        }
    }

    @Test
    void revokedKeyIs401FromThenOn() {
        long project = Api.createProject();
        long user = Api.createUser();
        Api.addMember(project, user);
        io.restassured.path.json.JsonPath created = Api.admin().body("{\"label\": \"x\", \"scopes\": [\"*\"]}")
                .post("/api/admin/users/" + user + "/personal_api_keys").then().statusCode(201).extract().jsonPath();
        String base = "/api/projects/" + project + "/desktop_recordings/";
        Api.as(created.getString("value")).get(base).then().statusCode(200);

        Api.admin().delete("/api/admin/personal_api_keys/" + created.getString("id")).then().statusCode(204);

        Api.as(created.getString("value")).get(base).then().statusCode(401).body("code", is("authentication_failed"));
        Api.admin().delete("/api/admin/personal_api_keys/" + created.getString("id")).then().statusCode(404);
    }

    @Test
    void readOnlyKeyReadsButCannotWrite() {
        long project = Api.createProject();
        long user = Api.createUser();
        Api.addMember(project, user);
        String writer = Api.createKey(user, List.of(WRITE), null);
        String reader = Api.createKey(user, List.of(READ), null);
        String base = "/api/projects/" + project + "/desktop_recordings/";
        String id = Api.as(writer).body("{}").post(base).then().statusCode(201).extract().path("id");

        Api.as(reader).get(base).then().statusCode(200).body("count", is(1));
        Api.as(reader).get(base + id + "/").then().statusCode(200);
        Api.as(reader).body("{}").post(base).then().statusCode(403)
                .body("type", is("authentication_error")).body("code", is("permission_denied"));
        Api.as(reader).body("{}").patch(base + id + "/").then().statusCode(403);
        Api.as(reader).body("{\"platform\": \"zoom\"}").put(base + id + "/").then().statusCode(403);
        Api.as(reader).delete(base + id + "/").then().statusCode(403);
        Api.as(reader).body("{\"segments\": [{\"text\": \"x\"}]}").post(base + id + "/append_segments/")
                .then().statusCode(403);
    }

    @Test
    void writeKeyAndStarKeyDoEverything() {
        long project = Api.createProject();
        long user = Api.createUser();
        Api.addMember(project, user);
        String base = "/api/projects/" + project + "/desktop_recordings/";
        for (String scope : List.of(WRITE, "*")) {
            String key = Api.createKey(user, List.of(scope), null);
            String id = Api.as(key).body("{}").post(base).then().statusCode(201).extract().path("id");
            Api.as(key).get(base + id + "/").then().statusCode(200);
            Api.as(key).get(base).then().statusCode(200);
            Api.as(key).delete(base + id + "/").then().statusCode(204);
        }
    }

    @Test
    void keyRestrictedToAnotherProjectIs403() {
        long project = Api.createProject();
        long other = Api.createProject();
        long user = Api.createUser();
        Api.addMember(project, user);
        Api.addMember(other, user);
        String key = Api.createKey(user, List.of("*"), List.of(other));
        Api.as(key).get("/api/projects/" + project + "/desktop_recordings/")
                .then().statusCode(403).body("code", is("permission_denied"));
        Api.as(key).get("/api/projects/" + other + "/desktop_recordings/").then().statusCode(200);
    }

    @Test
    void projectTheUserIsNotAMemberOfLooksMissing() {
        Api.Tenant tenant = Api.writer();
        long stranger = Api.createProject();
        Api.as(tenant.key()).get("/api/projects/" + stranger + "/desktop_recordings/")
                .then().statusCode(404).body("detail", is("Project not found.")).body("code", is("not_found"));
        Api.as(tenant.key()).get("/api/projects/999999999/desktop_recordings/")
                .then().statusCode(404).body("detail", is("Project not found."));
        Api.as(tenant.key()).get("/api/projects/abc/desktop_recordings/")
                .then().statusCode(404).body("detail", is("Project not found."));
    }

    @Test
    void removedMemberLosesAccess() {
        Api.Tenant tenant = Api.writer();
        tenant.request().get(tenant.recordings()).then().statusCode(200);
        Api.admin().delete("/api/admin/projects/" + tenant.projectId() + "/members/" + tenant.userId())
                .then().statusCode(204);
        tenant.request().get(tenant.recordings()).then().statusCode(404);
    }

    @Test
    void recordingOfAnotherProjectLooksMissing() {
        Api.Tenant mine = Api.writer();
        Api.Tenant theirs = Api.writer();
        String theirRecording = theirs.createRecording();
        String path = mine.recordings() + theirRecording + "/";
        mine.request().get(path).then().statusCode(404).body("detail", is("Not found."));
        mine.request().body("{\"notes\": \"x\"}").patch(path).then().statusCode(404);
        mine.request().body("{\"platform\": \"zoom\"}").put(path).then().statusCode(404);
        mine.request().body("{\"segments\": [{\"text\": \"x\"}]}").post(path + "append_segments/")
                .then().statusCode(404);
        mine.request().delete(path).then().statusCode(404);
        theirs.request().get(theirs.recordings() + theirRecording + "/").then().statusCode(200)
                .body("transcript_text", is("")).body("notes", nullValue());
        mine.request().get(mine.recordings() + "not-a-uuid/").then().statusCode(404);
    }

    @Test
    void checksComeInTheContractsOrder() {
        Api.Tenant reader = Api.tenant(READ);
        Api.Tenant writer = Api.writer();
        String recording = writer.createRecording();
        // credentials before an unknown route or a wrong method
        given().get(writer.recordings() + recording + "/nothing/").then().statusCode(401);
        given().post(writer.recordings() + recording + "/").then().statusCode(401);
        // route and method before scope
        reader.request().get(reader.recordings() + recording + "/nothing/").then().statusCode(404);
        reader.request().post(reader.recordings() + recording + "/").then().statusCode(405)
                .body("code", is("method_not_allowed"));
        // scope before project
        reader.request().body("{}").post("/api/projects/999999999/desktop_recordings/").then().statusCode(403);
        // project and recording before the body
        writer.request().contentType("text/plain").body("x").post("/api/projects/999999999/desktop_recordings/")
                .then().statusCode(404);
        writer.request().contentType("text/plain").body("x")
                .patch(writer.recordings() + "0190a8e4-0000-7000-8000-000000000000/").then().statusCode(404);
        writer.request().body("{\"segments\": []}")
                .post(writer.recordings() + "0190a8e4-0000-7000-8000-000000000000/append_segments/")
                .then().statusCode(404);
        writer.request().body("{\"segments\": []}").post(writer.recordings() + recording + "/append_segments/")
                .then().statusCode(400);
    }
}
