package dev.recordings.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.McpClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** MCP under the REST API's limits: bounded answers whatever a recording holds, sessions per key and their owner. */
@QuarkusTest
class McpLimitsTest {

    private static final int BOUND = 64 * 1024;

    @TestHTTPResource("/")
    URL base;

    private Api.Tenant tenant;

    @BeforeEach
    void setUp() {
        tenant = Api.writer();
    }

    private String baseUri() {
        return McpClient.baseUri(base);
    }

    private Map<String, Object> args(Object... pairs) {
        return McpClient.args(tenant.projectId(), pairs);
    }

    /** As large as the input rules allow: 1,000 participants of 255 characters, 500 long tasks, a long summary. */
    private String largestRecording() {
        List<String> participants = new ArrayList<>();
        for (int index = 0; index < 1000; index++) {
            participants.add(String.format("%04d", index) + "p".repeat(251));
        }
        List<Map<String, String>> tasks = new ArrayList<>();
        for (int index = 0; index < 500; index++) {
            tasks.add(Map.of("title", index + " " + "t".repeat(990), "description", "d".repeat(10_000),
                    "assignee", "a".repeat(255)));
        }
        String recording = tenant.request().body(Map.of("participants", participants)).post(tenant.recordings())
                .then().statusCode(201).extract().path("id");
        tenant.request().body(Map.of("extracted_tasks", tasks, "summary", "s".repeat(300_000)))
                .patch(tenant.recordings() + recording + "/").then().statusCode(200);
        return recording;
    }

    @Test
    void everyToolAnswersWithinSixtyFourKilobytesWhateverTheRecordingHolds() {
        String recording = largestRecording();
        McpClient mcp = McpClient.connect(baseUri(), tenant.key());

        McpClient.ToolResult one = mcp.call("get_recording", args("recording_id", recording));
        assertFalse(one.isError(), one.toString());
        assertTrue(one.text().getBytes(StandardCharsets.UTF_8).length <= BOUND, one.text().length() + " bytes");
        assertTrue(one.json().getBoolean("truncated"));
        assertEquals(recording, one.json().getString("id"));
        assertTrue(one.json().getList("participants").size() > 0, "every field keeps a share");
        assertTrue(one.json().getList("extracted_tasks").size() > 0, "every field keeps a share");
        assertTrue(one.json().getString("summary").endsWith(" [cut]"));

        McpClient.ToolResult list = mcp.call("list_recordings", args());
        assertFalse(list.isError(), list.toString());
        assertTrue(list.text().getBytes(StandardCharsets.UTF_8).length <= BOUND, list.text().length() + " bytes");
        assertTrue(list.json().getBoolean("truncated"));
        assertEquals(1, list.json().getList("results").size(), "one result, cut, rather than none");

        McpClient.ToolResult renamed = mcp.call("rename_speaker", args("recording_id", recording,
                "from", "0000" + "p".repeat(251), "to", "Ann"));
        assertFalse(renamed.isError(), renamed.toString());
        assertTrue(renamed.text().getBytes(StandardCharsets.UTF_8).length <= BOUND);
        assertTrue(renamed.json().getBoolean("truncated"));
    }

    @Test
    void participantsAndTasksHaveBoundsOnInput() {
        List<String> tooMany = new ArrayList<>();
        for (int index = 0; index <= 1000; index++) {
            tooMany.add("p" + index);
        }
        refused(Map.of("participants", tooMany), "max_length", "participants");
        refused(Map.of("participants", List.of("x".repeat(256))), "max_length", "participants__0");
        List<Map<String, String>> tasks = new ArrayList<>();
        for (int index = 0; index <= 500; index++) {
            tasks.add(Map.of("title", "t" + index));
        }
        String recording = tenant.createRecording();
        JsonPath error = tenant.request().body(Map.of("extracted_tasks", tasks))
                .patch(tenant.recordings() + recording + "/").then().statusCode(400).extract().jsonPath();
        assertEquals("extracted_tasks", error.getString("attr"));
        error = tenant.request().body(Map.of("extracted_tasks", List.of(Map.of("title", "t".repeat(1001)))))
                .patch(tenant.recordings() + recording + "/").then().statusCode(400).extract().jsonPath();
        assertEquals("extracted_tasks__0__title", error.getString("attr"));
        error = tenant.request().body(Map.of("extracted_tasks", List.of(Map.of("title", "t", "description",
                "d".repeat(10_001))))).patch(tenant.recordings() + recording + "/").then().statusCode(400).extract()
                .jsonPath();
        assertEquals("extracted_tasks__0__description", error.getString("attr"));
        tenant.read(recording); // nothing stored changed
        assertEquals(List.of(), tenant.read(recording).getList("extracted_tasks"));
    }

    private void refused(Map<String, ?> body, String code, String attr) {
        JsonPath error = tenant.request().body(body).post(tenant.recordings()).then().statusCode(400).extract()
                .jsonPath();
        assertEquals(code, error.getString("code"), error.prettify());
        assertEquals(attr, error.getString("attr"));
    }

    @Test
    void aSessionBelongsToTheKeyThatOpenedIt() {
        McpClient mine = McpClient.connect(baseUri(), tenant.key());
        Api.Tenant other = Api.writer();
        Response stolen = io.restassured.RestAssured.given().baseUri(baseUri()).contentType("application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + other.key()).header("Mcp-Session-Id", mine.session())
                .body(Map.of("jsonrpc", "2.0", "id", 7, "method", "tools/list")).post("/mcp");
        assertEquals(404, stolen.statusCode(), stolen.asString());
        assertEquals("not_found", stolen.jsonPath().getString("code"));
        assertEquals(200, mine.post(Map.of("jsonrpc", "2.0", "id", 8, "method", "tools/list")).statusCode());
    }

    /** Ids a client makes up are served as sessions (auto-init), so they count too: they cannot fill memory. */
    @Test
    void madeUpSessionIdsCountTowardTheKeysSessions() {
        Response answer = null;
        for (int index = 0; index <= McpGuard.SESSIONS_PER_KEY; index++) {
            answer = io.restassured.RestAssured.given().baseUri(baseUri()).contentType("application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .header("Authorization", "Bearer " + tenant.key())
                    .header("Mcp-Session-Id", java.util.UUID.randomUUID().toString())
                    .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list")).post("/mcp");
            if (index < McpGuard.SESSIONS_PER_KEY) {
                assertEquals(200, answer.statusCode(), "session " + index + ": " + answer.asString());
            }
        }
        assertEquals(429, answer.statusCode(), answer.asString());
    }

    @Test
    void aKeyHoldsABoundedNumberOfSessionsAndStreams() throws Exception {
        List<McpClient> sessions = new ArrayList<>();
        for (int index = 0; index < McpGuard.SESSIONS_PER_KEY; index++) {
            sessions.add(McpClient.connect(baseUri(), tenant.key()));
        }
        Response refused = io.restassured.RestAssured.given().baseUri(baseUri()).contentType("application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + tenant.key())
                .body(McpClient.initialize(1))
                .post("/mcp");
        assertEquals(429, refused.statusCode(), refused.asString());
        assertEquals("throttled", refused.jsonPath().getString("code"));

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<HttpResponse<InputStream>> streams = new ArrayList<>();
        try {
            for (int index = 0; index <= McpGuard.STREAMS_PER_KEY; index++) {
                HttpRequest get = HttpRequest.newBuilder(URI.create(baseUri() + "/mcp"))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + tenant.key())
                        .header("Accept", "text/event-stream")
                        .header("Mcp-Session-Id", sessions.get(index).session()).GET().build();
                streams.add(client.send(get, HttpResponse.BodyHandlers.ofInputStream()));
            }
            for (int index = 0; index < McpGuard.STREAMS_PER_KEY; index++) {
                assertEquals(200, streams.get(index).statusCode(), "stream " + index);
            }
            assertEquals(429, streams.get(McpGuard.STREAMS_PER_KEY).statusCode(), "one stream past the cap");
        } finally {
            for (HttpResponse<InputStream> stream : streams) {
                stream.body().close();
            }
        }
    }
}
