package dev.recordings.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A client of the Streamable HTTP transport, as an assistant's MCP client speaks it: JSON-RPC over POST to /mcp,
 * {@code initialize} first, then the session id on every request. Answers may come as JSON or as one event of a
 * Server-Sent Events stream; both are read.
 */
public final class McpClient {

    private final String baseUri;
    private final String key;
    private final AtomicInteger ids = new AtomicInteger();
    private String session;

    private McpClient(String baseUri, String key) {
        this.baseUri = baseUri;
        this.key = key;
    }

    /** The {@code initialize} request an assistant's client opens a session with. */
    public static Map<String, Object> initialize(int id) {
        return Map.of("jsonrpc", "2.0", "id", id, "method", "initialize", "params", Map.of("protocolVersion",
                "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", "tests", "version", "1")));
    }

    /** The test server's base URI, as the tests' {@code @TestHTTPResource("/")} gives it, without the last slash. */
    public static String baseUri(java.net.URL base) {
        String uri = base.toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** A tool's arguments: the project's id, and the given name and value pairs. */
    public static Map<String, Object> args(long projectId, Object... pairs) {
        Map<String, Object> args = new HashMap<>();
        args.put("project_id", projectId);
        for (int index = 0; index < pairs.length; index += 2) {
            args.put((String) pairs[index], pairs[index + 1]);
        }
        return args;
    }

    /** A client that has initialized a session with the key. */
    public static McpClient connect(String baseUri, String key) {
        McpClient client = new McpClient(baseUri, key);
        Response initialized = client.post(initialize(client.ids.incrementAndGet()));
        assertEquals(200, initialized.statusCode(), initialized.asString());
        client.session = initialized.header("Mcp-Session-Id");
        Response acknowledged = client.post(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
        assertEquals(202, acknowledged.statusCode(), acknowledged.asString());
        return client;
    }

    /** The same session, its requests sent to another replica. */
    public McpClient on(String otherBaseUri) {
        McpClient other = new McpClient(otherBaseUri, key);
        other.session = session;
        return other;
    }

    public String session() {
        return session;
    }

    /** The JSON-RPC answer of a method. */
    public JsonPath request(String method, Map<String, ?> params) {
        Response answer = post(Map.of("jsonrpc", "2.0", "id", ids.incrementAndGet(), "method", method,
                "params", params));
        assertEquals(200, answer.statusCode(), answer.asString());
        return body(answer);
    }

    /** A tool's result ({@code result.content}, {@code result.isError}, …) of {@code tools/call}. */
    public ToolResult call(String tool, Map<String, ?> arguments) {
        JsonPath answer = request("tools/call", Map.of("name", tool, "arguments", arguments));
        return new ToolResult(answer);
    }

    /** A tool result: whether it is an error, its text, and that text read as JSON. */
    public record ToolResult(JsonPath rpc) {
        public boolean isError() {
            return Boolean.TRUE.equals(rpc.get("result.isError"));
        }

        public String text() {
            return rpc.getString("result.content[0].text");
        }

        public JsonPath json() {
            return JsonPath.from(text());
        }

        @Override
        public String toString() {
            return rpc.prettify();
        }
    }

    /** A tool's result, for a request sent with this X-Request-Id. */
    public ToolResult call(String tool, Map<String, ?> arguments, String requestId) {
        Response answer = post(Map.of("jsonrpc", "2.0", "id", ids.incrementAndGet(), "method", "tools/call",
                "params", Map.of("name", tool, "arguments", arguments)), requestId);
        assertEquals(200, answer.statusCode(), answer.asString());
        return new ToolResult(body(answer));
    }

    public Response post(Map<String, ?> message) {
        return post(message, null);
    }

    private Response post(Map<String, ?> message, String requestId) {
        var request = given().baseUri(baseUri).contentType("application/json")
                .header("Accept", "application/json, text/event-stream");
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.body(message).post("/mcp");
    }

    private static JsonPath body(Response answer) {
        String text = answer.asString();
        if (String.valueOf(answer.contentType()).startsWith("text/event-stream")) {
            for (String line : text.split("\n")) {
                if (line.startsWith("data:")) {
                    return JsonPath.from(line.substring(5).strip());
                }
            }
            throw new AssertionError("no data in the event stream: " + text);
        }
        return JsonPath.from(text);
    }
}
