package dev.recordings.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Sets up projects, users and keys through the provisioning API, as an operator would. */
public final class Api {

    public static final String ADMIN_TOKEN = "test-admin-token";

    private Api() {
    }

    /** A project with one member holding one key. */
    public record Tenant(long projectId, long userId, String key) {

        public String recordings() {
            return "/api/projects/" + projectId + "/desktop_recordings/";
        }

        public String webhookEndpoints() {
            return "/api/projects/" + projectId + "/webhook_endpoints/";
        }

        public RequestSpecification request() {
            return as(key);
        }

        /** Creates a recording with the given JSON body and answers its id. */
        public String createRecording(String body) {
            return request().body(body).post(recordings()).then().statusCode(201).extract().path("id");
        }

        public String createRecording() {
            return createRecording("{}");
        }

        /** Appends a batch (a JSON array of segments) to a recording and answers the minimal summary. */
        public ValidatableResponse appendMinimal(String recording, String segments) {
            return append(recording, segments, true);
        }

        /** Appends a batch, answered with the whole recording ({@code minimal} false) or the summary. */
        public ValidatableResponse append(String recording, String segments, boolean minimal) {
            RequestSpecification request = request().body("{\"segments\": " + segments + "}");
            return (minimal ? request.header("Prefer", "return=minimal") : request)
                    .post(recordings() + recording + "/append_segments/").then();
        }

        /** The recording as the API answers it. */
        public JsonPath read(String recording) {
            return request().get(recordings() + recording + "/").then().statusCode(200).extract().jsonPath();
        }
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    public static long createProject() {
        return admin().body(Map.of("name", "Project " + UUID.randomUUID()))
                .post("/api/admin/projects").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static long createUser() {
        return admin().body(Map.of("email", UUID.randomUUID() + "@example.com"))
                .post("/api/admin/users").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static void addMember(long projectId, long userId) {
        admin().put("/api/admin/projects/" + projectId + "/members/" + userId).then().statusCode(204);
    }

    public static String createKey(long userId, List<String> scopes, List<Long> scopedTeams) {
        Map<String, Object> body = scopedTeams == null ? Map.of("label", "test", "scopes", scopes)
                : Map.of("label", "test", "scopes", scopes, "scoped_teams", scopedTeams);
        return admin().body(body).post("/api/admin/users/" + userId + "/personal_api_keys")
                .then().statusCode(201).extract().path("value");
    }

    public static Tenant tenant(String... scopes) {
        long project = createProject();
        long user = createUser();
        addMember(project, user);
        return new Tenant(project, user, createKey(user, List.of(scopes), null));
    }

    public static Tenant writer() {
        return tenant("desktop_recording:write");
    }
}
