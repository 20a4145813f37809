package dev.recordings.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.McpClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * PostgreSQL refuses a NUL character in text: every text that reaches SQL, from a query parameter or a body field,
 * answers 400 invalid_input naming it, never 500, and changes nothing.
 */
@QuarkusTest
class NullCharacterTest {

    private static final String NUL = "a\u0000b";

    @TestHTTPResource("/")
    URL base;

    private static void invalid(Response answer, String attr) {
        assertEquals(400, answer.statusCode(), answer.asString());
        JsonPath error = answer.jsonPath();
        assertEquals("invalid_input", error.getString("code"));
        assertEquals(attr, error.getString("attr"));
    }

    @Test
    void aNulInAQueryParameterIsA400NamingIt() {
        Api.Tenant tenant = Api.tenant("*");
        invalid(tenant.request().queryParam("search", NUL).get(tenant.recordings()), "search");
        invalid(tenant.request().queryParam("q", NUL + "c").get(tenant.recordings() + "search/"), "q");
        invalid(tenant.request().queryParam("q", "abc").queryParam("speaker", NUL)
                .get(tenant.recordings() + "search/"), "speaker");
        invalid(tenant.request().queryParam("platform", NUL).get(tenant.recordings()), "platform");
        String endpoints = tenant.webhookEndpoints();
        String endpoint = tenant.request().body(Map.of("url", "http://127.0.0.1:9/")).post(endpoints).then()
                .statusCode(201).extract().path("id");
        invalid(tenant.request().queryParam("status", NUL).get(endpoints + endpoint + "/deliveries/"), "status");
    }

    @Test
    void aNulInABodyFieldIsA400NamingItAndNothingChanges() {
        Api.Tenant tenant = Api.tenant("*");
        invalid(tenant.request().body(Map.of("meeting_title", NUL)).post(tenant.recordings()), "meeting_title");
        invalid(tenant.request().body(Map.of("participants", List.of(NUL))).post(tenant.recordings()),
                "participants__0");
        String recording = tenant.createRecording();
        invalid(tenant.request().body(Map.of("notes", NUL)).patch(tenant.recordings() + recording + "/"), "notes");
        invalid(tenant.request().body(Map.of("extracted_tasks", List.of(Map.of("title", NUL))))
                .patch(tenant.recordings() + recording + "/"), "extracted_tasks__0__title");
        invalid(tenant.request().body(Map.of("segments", List.of(Map.of("text", NUL))))
                .post(tenant.recordings() + recording + "/append_segments/"), "segments__0__text");
        invalid(tenant.request().body(Map.of("segments", List.of(Map.of("text", "t", "speaker", NUL))))
                .post(tenant.recordings() + recording + "/append_segments/"), "segments__0__speaker");
        invalid(tenant.request().body(Map.of("from", NUL, "to", "Ann"))
                .post(tenant.recordings() + recording + "/speakers/"), "from");
        invalid(tenant.request().body(Map.of("url", "https://example.com/", "description", NUL))
                .post(tenant.webhookEndpoints()), "description");
        JsonPath stored = tenant.read(recording);
        assertEquals(List.of(), stored.getList("transcript_segments"));
        assertEquals(null, stored.getString("notes"));
    }

    @Test
    void aNulInAToolArgumentIsTheSameRefusal() {
        Api.Tenant tenant = Api.tenant("*");
        McpClient mcp = McpClient.connect(McpClient.baseUri(base), tenant.key());
        McpClient.ToolResult list = mcp.call("list_recordings", Map.of("project_id", tenant.projectId(),
                "search", NUL));
        assertTrue(list.isError(), list.toString());
        assertEquals("invalid_input", list.json().getString("code"));
        assertEquals("search", list.json().getString("attr"));
        McpClient.ToolResult search = mcp.call("search_transcripts", Map.of("project_id", tenant.projectId(),
                "query", NUL + "c"));
        assertTrue(search.isError(), search.toString());
        assertEquals("query", search.json().getString("attr"));
    }
}
