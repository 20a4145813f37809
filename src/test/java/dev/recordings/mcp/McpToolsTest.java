package dev.recordings.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.EventStream;
import dev.recordings.support.McpClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The MCP server at /mcp, through its Streamable HTTP transport, as an assistant's client uses it. */
@QuarkusTest
class McpToolsTest {

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @TestHTTPResource("/")
    URL base;

    private Api.Tenant tenant;
    private McpClient mcp;

    @BeforeEach
    void connect() {
        tenant = Api.writer();
        mcp = McpClient.connect(baseUri(), tenant.key());
    }

    private String baseUri() {
        return McpClient.baseUri(base);
    }

    private Map<String, Object> args(Object... pairs) {
        return McpClient.args(tenant.projectId(), pairs);
    }

    @Test
    void withoutAValidKeyMcpAnswers401() {
        Map<String, Object> initialize = McpClient.initialize(1);
        Response none = io.restassured.RestAssured.given().baseUri(baseUri()).contentType("application/json")
                .header("Accept", "application/json, text/event-stream").body(initialize).post("/mcp");
        assertEquals(401, none.statusCode());
        assertEquals("not_authenticated", none.jsonPath().getString("code"));
        Response bad = io.restassured.RestAssured.given().baseUri(baseUri()).contentType("application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer phx_not_a_key_that_exists_0000000000000000")
                .body(initialize).post("/mcp");
        assertEquals(401, bad.statusCode());
        assertEquals("authentication_failed", bad.jsonPath().getString("code"));
    }

    @Test
    void theToolsAreListedWithTheirInputSchemas() {
        JsonPath tools = mcp.request("tools/list", Map.of());
        assertEquals(List.of("get_recording", "get_transcript", "list_recordings", "rename_speaker",
                "search_transcripts"), tools.getList("result.tools.name").stream().sorted().toList());
        for (int index = 0; index < 5; index++) {
            String tool = "result.tools[" + index + "].";
            String name = tools.getString(tool + "name");
            assertEquals("object", tools.getString(tool + "inputSchema.type"), name);
            assertEquals("integer", tools.getString(tool + "inputSchema.properties.project_id.type"), name);
            assertTrue(tools.getList(tool + "inputSchema.required").contains("project_id"), name);
            assertTrue(tools.getString(tool + "description").length() > 80, name + " is described for an assistant");
        }
        String transcript = "result.tools.find { it.name == 'get_transcript' }.inputSchema.";
        assertEquals("string", tools.getString(transcript + "properties.recording_id.type"));
        assertEquals("integer", tools.getString(transcript + "properties.start.type"));
        assertEquals("integer", tools.getString(transcript + "properties.limit.type"));
        assertEquals(List.of("project_id", "recording_id"), tools.getList(transcript + "required").stream()
                .sorted().toList());
        assertEquals(List.of("project_id", "query"), tools.getList(
                "result.tools.find { it.name == 'search_transcripts' }.inputSchema.required").stream().sorted()
                .toList());
    }

    /** 2,500 segments, every fifth one interim: pages of 1,000 reach the end exactly, each final line once. */
    @Test
    void aLongTranscriptIsReadByPositionToItsEndExactly() {
        String recording = tenant.createRecording();
        List<String> expected = new ArrayList<>();
        for (int batch = 0; batch < 5; batch++) {
            StringBuilder segments = new StringBuilder("[");
            for (int index = batch * 500; index < (batch + 1) * 500; index++) {
                boolean interim = index % 5 == 4;
                segments.append(index % 500 == 0 ? "" : ",").append("{\"timestamp\": ").append(index * 1000L)
                        .append(", \"speaker\": \"").append(index % 2 == 0 ? "Ann" : "Bob").append("\", \"text\": \"line ")
                        .append(index).append("\", \"is_final\": ").append(!interim).append('}');
                if (!interim) {
                    long seconds = index;
                    expected.add(String.format("[%02d:%02d:%02d] %s: line %d", seconds / 3600, seconds / 60 % 60,
                            seconds % 60, index % 2 == 0 ? "Ann" : "Bob", index));
                }
            }
            tenant.appendMinimal(recording, segments.append(']').toString()).statusCode(200);
        }
        List<String> lines = new ArrayList<>();
        Integer start = 0;
        List<Integer> starts = new ArrayList<>();
        while (start != null) {
            starts.add(start);
            McpClient.ToolResult page = mcp.call("get_transcript", args("recording_id", recording, "start", start,
                    "limit", 1000));
            assertFalse(page.isError(), page.toString());
            assertEquals(recording, page.json().getString("recording_id"));
            assertEquals(start, page.json().getInt("start"));
            lines.addAll(page.json().getList("lines"));
            start = page.json().get("next");
        }
        assertEquals(List.of(0, 1000, 2000), starts);
        assertEquals(expected, lines);

        McpClient.ToolResult defaults = mcp.call("get_transcript", args("recording_id", recording));
        assertEquals(300, defaults.json().getInt("next"));
        McpClient.ToolResult past = mcp.call("get_transcript", args("recording_id", recording, "start", 9000));
        assertEquals(List.of(), past.json().getList("lines"));
        assertNull(past.json().get("next"));
    }

    @Test
    void aResultOverTheBoundIsCutAndSaysSoAndPagingStillReachesTheEnd() {
        String recording = tenant.createRecording();
        String words = "word ".repeat(60).strip();
        StringBuilder segments = new StringBuilder("[");
        for (int index = 0; index < 1000; index++) {
            segments.append(index == 0 ? "" : ",").append("{\"speaker\": \"Ann\", \"text\": \"").append(index)
                    .append(' ').append(words).append("\"}");
        }
        tenant.appendMinimal(recording, segments.append(']').toString()).statusCode(200);
        McpClient.ToolResult first = mcp.call("get_transcript", args("recording_id", recording, "limit", 1000));
        assertTrue(first.text().getBytes(StandardCharsets.UTF_8).length <= 64 * 1024, "at most 64 KB");
        assertTrue(first.json().getBoolean("truncated"), first.text().substring(0, 200));
        int next = first.json().getInt("next");
        assertEquals(next, first.json().getList("lines").size());
        assertTrue(next > 100 && next < 1000, "cut at " + next);
        int read = next;
        Integer start = next;
        while (start != null) {
            McpClient.ToolResult page = mcp.call("get_transcript", args("recording_id", recording, "start", start,
                    "limit", 1000));
            assertTrue(page.text().getBytes(StandardCharsets.UTF_8).length <= 64 * 1024);
            List<String> lines = page.json().getList("lines");
            assertTrue(lines.get(0).startsWith("Ann: " + start + " "), lines.get(0));
            read += lines.size();
            start = page.json().get("next");
        }
        assertEquals(1000, read);

        String big = tenant.createRecording("{\"notes\": \"" + "n".repeat(70_000) + "\"}");
        McpClient.ToolResult cut = mcp.call("get_recording", args("recording_id", big));
        assertTrue(cut.text().getBytes(StandardCharsets.UTF_8).length <= 64 * 1024);
        assertTrue(cut.json().getBoolean("truncated"));
        assertTrue(cut.json().getString("notes").endsWith(" [cut]"));
    }

    @Test
    void listGetAndSearchAnswerWhatAnAssistantNeeds() {
        String older = tenant.createRecording("{\"meeting_title\": \"Pricing review\", \"platform\": \"zoom\","
                + " \"started_at\": \"2026-11-20T10:00:00Z\"}");
        String newer = tenant.createRecording("{\"meeting_title\": \"Standup\", \"platform\": \"meet\","
                + " \"started_at\": \"2026-11-27T09:00:00Z\"}");
        tenant.appendMinimal(older, "[{\"timestamp\": 725000, \"speaker\": \"Ann\", \"text\": \"we keep the pricing"
                + " at ten dollars\"}, {\"timestamp\": 726000, \"speaker\": \"Bob\", \"text\": \"agreed\"}]")
                .statusCode(200);

        McpClient.ToolResult list = mcp.call("list_recordings", args());
        assertFalse(list.isError(), list.toString());
        assertEquals(2, list.json().getInt("count"));
        assertEquals(List.of(newer, older), list.json().getList("results.id"));
        assertEquals(List.of(0, 2), list.json().getList("results.segment_count"));
        assertFalse(list.text().contains("transcript_segments"), "no transcripts in a list for an assistant");
        McpClient.ToolResult zoom = mcp.call("list_recordings", args("platform", "zoom", "limit", 1));
        assertEquals(List.of("Pricing review"), zoom.json().getList("results.meeting_title"));
        McpClient.ToolResult said = mcp.call("list_recordings", args("search", "ten dollars"));
        assertEquals(List.of(older), said.json().getList("results.id"));
        McpClient.ToolResult paged = mcp.call("list_recordings", args("limit", 1, "offset", 1));
        assertEquals(List.of(older), paged.json().getList("results.id"));

        McpClient.ToolResult one = mcp.call("get_recording", args("recording_id", older));
        assertEquals("Pricing review", one.json().getString("meeting_title"));
        assertEquals(2, one.json().getInt("segment_count"));
        assertNull(one.json().get("transcript_text"));

        McpClient.ToolResult hits = mcp.call("search_transcripts", args("query", "pricing"));
        assertFalse(hits.isError(), hits.toString());
        assertEquals(1, hits.json().getInt("count"));
        assertEquals(older, hits.json().getString("results[0].recording_id"));
        assertEquals("Pricing review", hits.json().getString("results[0].meeting_title"));
        assertEquals("2026-11-20T10:00:00.000000Z", hits.json().getString("results[0].started_at"));
        assertEquals("Ann", hits.json().getString("results[0].speaker"));
        assertEquals(0, hits.json().getInt("results[0].index"));
        McpClient.ToolResult bySpeaker = mcp.call("search_transcripts", args("query", "agreed", "speaker", "Ann"));
        assertEquals(0, bySpeaker.json().getInt("count"));
        assertEquals(hits.json().getMap(""), mcp.call("search_transcripts", args("query", "pricing",
                "recording_id", older)).json().getMap(""));
    }

    @Test
    void everyRefusalIsAToolErrorInTheRestApisWords() {
        String recording = tenant.createRecording();
        tenant.appendMinimal(recording, "[{\"speaker\": \"Ann\", \"text\": \"hello\"}]").statusCode(200);
        // a read-only key of the project's own member, on a speaker the transcript has: only the scope refuses it
        McpClient readOnly = McpClient.connect(baseUri(),
                Api.createKey(tenant.userId(), List.of("desktop_recording:read"), null));
        Map<String, Object> rename = new HashMap<>(Map.of("project_id", tenant.projectId(),
                "recording_id", recording, "from", "Ann", "to", "Anna"));
        assertRefused(readOnly.call("rename_speaker", rename), "permission_denied",
                "API key missing required scope for this action.", null);
        tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200)
                .body("transcript_segments.speaker", org.hamcrest.Matchers.contains("Ann"))
                .body("participants", org.hamcrest.Matchers.empty());

        Api.Tenant other = Api.writer();
        assertRefused(mcp.call("list_recordings", Map.of("project_id", other.projectId())), "not_found",
                "Project not found.", null);
        String restricted = Api.createKey(tenant.userId(), List.of("desktop_recording:read"),
                List.of(other.projectId()));
        assertRefused(McpClient.connect(baseUri(), restricted).call("list_recordings", args()),
                "permission_denied", "API key is not allowed to access this project.", null);

        assertRefused(mcp.call("get_recording", args("recording_id", other.createRecording())), "not_found",
                "Not found.", null);
        assertRefused(mcp.call("get_transcript", args("recording_id", "not-a-uuid")), "not_found", "Not found.",
                null);
        assertRefused(mcp.call("get_transcript", args("recording_id", recording, "limit", 0)), "min_value",
                "Ensure this value is greater than or equal to 1.", "limit");
        assertRefused(mcp.call("get_transcript", args("recording_id", recording, "start", -1)), "min_value",
                "Ensure this value is greater than or equal to 0.", "start");
        assertRefused(mcp.call("search_transcripts", args("query", "ab")), "min_length",
                "Ensure this field has at least 3 characters.", "query");
        assertRefused(mcp.call("list_recordings", args("platform", "fax")), "invalid_choice",
                "Select a valid choice. fax is not one of the available choices.", "platform");
        assertRefused(mcp.call("rename_speaker", args("recording_id", recording, "to", " ")), "blank",
                null, "to");
    }

    private static void assertRefused(McpClient.ToolResult result, String code, String detail, String attr) {
        assertTrue(result.isError(), result.toString());
        assertNull(result.rpc().get("result.is_error"), "MCP's own names: isError");
        assertEquals(code, result.json().getString("code"), result.text());
        if (detail != null) {
            assertEquals(detail, result.json().getString("detail"));
        }
        assertEquals(attr, result.json().getString("attr"));
        assertFalse(result.text().contains("Exception"), result.text());
    }

    @Test
    void aRenameThroughMcpIsSeenByALiveStreamAndByTheRestRead() throws Exception {
        String recording = tenant.createRecording();
        tenant.appendMinimal(recording, "[{\"speaker\": \"Speaker 1\", \"text\": \"hello\"}]").statusCode(200);
        try (EventStream stream = EventStream.open(base + tenant.recordings().substring(1) + recording
                + "/transcript/stream/", tenant.key())) {
            assertEquals(200, stream.status, stream.body);
            stream.next();
            McpClient.ToolResult renamed = mcp.call("rename_speaker", args("recording_id", recording,
                    "from", "Speaker 1", "to", "Ann"));
            assertFalse(renamed.isError(), renamed.toString());
            assertEquals(1, renamed.json().getInt("renamed"));
            assertEquals(recording, renamed.json().getString("id"));
            EventStream.Event event = stream.next();
            assertEquals("speaker_renamed", event.event());
            assertEquals("Ann", event.json().getString("to"));
        }
        assertEquals(List.of("Ann"), tenant.read(recording).getList("transcript_segments.speaker"));
    }

    /**
     * An unexpected failure in a tool is a tool error naming the request's id (the X-Request-Id the client sent), as
     * the REST API's 500 does, so the log line can be found. A trigger made here fails the rename's write.
     */
    @Test
    void anUnexpectedFailureNamesTheRequestsId() {
        pool.query("""
                CREATE OR REPLACE FUNCTION mcp_test_failure() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'a failure no one expected';
                END
                $$;
                DROP TRIGGER IF EXISTS mcp_test_failure ON transcript_chunks;
                CREATE TRIGGER mcp_test_failure BEFORE UPDATE ON transcript_chunks FOR EACH ROW
                    WHEN (NEW.text LIKE '%Kaboom%' OR NEW.segments::text LIKE '%Kaboom%')
                    EXECUTE FUNCTION mcp_test_failure();""").execute().await().indefinitely();
        try {
            String recording = tenant.createRecording();
            tenant.appendMinimal(recording, "[{\"speaker\": \"Ann\", \"text\": \"hello\"}]").statusCode(200);
            McpClient.ToolResult failed = mcp.call("rename_speaker", args("recording_id", recording, "from", "Ann",
                    "to", "Kaboom"), "mcp-failure-1");
            assertTrue(failed.isError(), failed.toString());
            assertEquals("server_error", failed.json().getString("type"));
            assertEquals("A server error occurred. Request id: mcp-failure-1.", failed.json().getString("detail"));
        } finally {
            pool.query("DROP TRIGGER mcp_test_failure ON transcript_chunks").execute().await().indefinitely();
        }
    }
}
