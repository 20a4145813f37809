package dev.recordings.recording;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class RecordingResourceTest {

    static final String UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z";
    static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    static final List<String> FIELDS = List.of("id", "team", "created_by", "sdk_upload_id", "recall_recording_id",
            "platform", "meeting_title", "meeting_url", "duration_seconds", "status", "notes", "error_message",
            "video_url", "video_size_bytes", "participants", "transcript_text", "transcript_segments", "summary",
            "extracted_tasks", "tasks_generated_at", "summary_generated_at", "started_at", "completed_at",
            "created_at", "updated_at");

    @ParameterizedTest
    @ValueSource(strings = { "environments", "projects" })
    void everyEndpointAnswersOnBothPrefixes(String prefix) {
        Api.Tenant tenant = Api.writer();
        String base = "/api/" + prefix + "/" + tenant.projectId() + "/desktop_recordings/";

        String id = tenant.request().body("{\"platform\": \"zoom\"}").post(base)
                .then().statusCode(201).extract().path("id");
        tenant.request().get(base).then().statusCode(200).body("count", is(1)).body("results[0].id", is(id));
        tenant.request().get(base + id + "/").then().statusCode(200).body("platform", is("zoom"));
        tenant.request().body("{\"platform\": \"teams\", \"notes\": \"n\"}").put(base + id + "/")
                .then().statusCode(200).body("platform", is("teams")).body("notes", is("n"));
        tenant.request().body("{\"notes\": \"changed\"}").patch(base + id + "/")
                .then().statusCode(200).body("notes", is("changed")).body("platform", is("teams"));
        tenant.request().body("{\"segments\": [{\"text\": \"hello\", \"timestamp\": 1}]}")
                .post(base + id + "/append_segments/")
                .then().statusCode(200).body("transcript_text", is("hello"));
        tenant.request().delete(base + id + "/").then().statusCode(204).body(is(""));
        tenant.request().get(base + id + "/").then().statusCode(404);
    }

    @Test
    void trailingSlashIsOptional() {
        Api.Tenant tenant = Api.writer();
        String base = "/api/projects/" + tenant.projectId() + "/desktop_recordings";
        String id = tenant.request().body("{}").post(base).then().statusCode(201).extract().path("id");
        tenant.request().get(base).then().statusCode(200).body("count", is(1));
        tenant.request().get(base + "/" + id).then().statusCode(200);
        tenant.request().body("{\"segments\": [{\"text\": \"a\"}]}").post(base + "/" + id + "/append_segments")
                .then().statusCode(200);
        tenant.request().delete(base + "/" + id).then().statusCode(204);
    }

    @Test
    void createAnswersTheWholeRecordingWithDefaultsAndLocation() {
        Api.Tenant tenant = Api.writer();
        Response created = tenant.request().body("").post(tenant.recordings());
        created.then().statusCode(201)
                .header("Location", startsWith("http://"))
                .body("id", matchesPattern(UUID_V7))
                .body("sdk_upload_id", matchesPattern("[0-9a-f-]{36}"))
                .body("team", is((int) tenant.projectId()))
                .body("created_by", is((int) tenant.userId()))
                .body("platform", is("desktop_audio"))
                .body("status", is("recording"))
                .body("participants", is(List.of()))
                .body("transcript_segments", is(List.of()))
                .body("extracted_tasks", is(List.of()))
                .body("transcript_text", is(""))
                .body("upload_token", nullValue())
                .body("$", hasKey("upload_token"))
                .body("started_at", matchesPattern(UTC))
                .body("created_at", matchesPattern(UTC))
                .body("updated_at", matchesPattern(UTC));
        for (String field : FIELDS) {
            created.then().body("$", hasKey(field));
        }
        String location = created.header("Location");
        assertEquals(tenant.recordings() + created.path("id") + "/", location.replaceFirst("^http://[^/]+", ""));
    }

    @Test
    void createTakesTheContractsOptionalFieldsTrimmedAndConvertsOffsetsToUtc() {
        Api.Tenant tenant = Api.writer();
        tenant.request().body("""
                {"platform": "meet", "meeting_title": "  Weekly  ", "meeting_url": "https://meet.example.com/x",
                 "participants": [" Ann ", "Bob"], "notes": "   ", "started_at": "2026-01-02T03:04:05+02:00",
                 "status": "ready", "transcript_text": "ignored", "id": "ignored", "unknown": 1}
                """).post(tenant.recordings())
                .then().statusCode(201)
                .body("platform", is("meet"))
                .body("meeting_title", is("Weekly"))
                .body("meeting_url", is("https://meet.example.com/x"))
                .body("participants", is(List.of("Ann", "Bob")))
                .body("notes", is(""))
                .body("started_at", is("2026-01-02T01:04:05.000000Z"))
                .body("status", is("recording"))
                .body("transcript_text", is(""))
                .body("id", not("ignored"));
    }

    @Test
    void putRequiresPlatformAndKeepsFieldsLeftOut() {
        Api.Tenant tenant = Api.writer();
        String id = tenant.createRecording("{\"meeting_title\": \"Kept\"}");
        tenant.request().body("{\"notes\": \"x\"}").put(tenant.recordings() + id + "/")
                .then().statusCode(400).body("code", is("required")).body("attr", is("platform"));
        tenant.request().body("{\"platform\": \"slack\", \"duration_seconds\": 60, \"status\": \"ready\"}")
                .put(tenant.recordings() + id + "/")
                .then().statusCode(200)
                .body("platform", is("slack")).body("duration_seconds", is(60)).body("status", is("ready"))
                .body("meeting_title", is("Kept"));
    }

    @Test
    void patchWritesEveryWritableFieldAndMovesUpdatedAt() {
        Api.Tenant tenant = Api.writer();
        String id = tenant.createRecording();
        String before = tenant.request().get(tenant.recordings() + id + "/").path("updated_at");
        tenant.request().body("""
                {"recall_recording_id": "08cce185-c34b-4d4f-bb61-49c99f8ccc30", "meeting_url": "http://a.example",
                 "duration_seconds": 0, "status": "error", "error_message": "boom", "video_url": "https://v.example/1",
                 "video_size_bytes": 9007199254740993, "summary": "s",
                 "extracted_tasks": [{"title": " Do it ", "assignee": null, "extra": 1}],
                 "tasks_generated_at": "2026-11-23T19:00:00.123456Z", "summary_generated_at": null,
                 "completed_at": "2026-11-23T19:00:00Z",
                 "transcript_segments": [{"text": "one", "timestamp": 5}, {"text": "two", "speaker": "S"}]}
                """).patch(tenant.recordings() + id + "/")
                .then().statusCode(200)
                .body("recall_recording_id", is("08cce185-c34b-4d4f-bb61-49c99f8ccc30"))
                .body("status", is("error"))
                .body("error_message", is("boom"))
                .body("video_size_bytes", is(9007199254740993L))
                .body("extracted_tasks[0].title", is("Do it"))
                .body("extracted_tasks[0].description", is(""))
                .body("extracted_tasks[0]", not(hasKey("extra")))
                .body("tasks_generated_at", is("2026-11-23T19:00:00.123456Z"))
                .body("completed_at", is("2026-11-23T19:00:00.000000Z"))
                .body("transcript_text", is("one two"))
                .body("transcript_segments.text", is(List.of("one", "two")))
                .body("transcript_segments", everyItem(hasKey("is_final")))
                .body("updated_at", not(equalTo(before)));
    }

    @Test
    void deleteOfAMissingRecordingIs404() {
        Api.Tenant tenant = Api.writer();
        tenant.request().delete(tenant.recordings() + "0190a8e4-0000-7000-8000-000000000000/")
                .then().statusCode(404).body("code", is("not_found"));
    }

    @Test
    void openApiDescribesTheEndpoints() {
        io.restassured.RestAssured.given().accept("application/json").get("/q/openapi")
                .then().statusCode(200)
                .body("paths", hasKey("/api/environments/{project_id}/desktop_recordings/{id}/append_segments"))
                .body("paths", hasKey("/api/projects/{project_id}/desktop_recordings"))
                .body("paths", hasKey("/api/admin/personal_api_keys/{id}"))
                .body("components.securitySchemes.PersonalApiKey.scheme", is("bearer"))
                .body("components.schemas.DesktopRecording.properties", hasKey("transcript_segments"))
                .body("components.schemas.Error", notNullValue());
    }
}
