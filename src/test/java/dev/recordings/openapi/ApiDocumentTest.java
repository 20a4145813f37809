package dev.recordings.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.auth.Scopes;
import dev.recordings.recording.Recording;
import dev.recordings.transcript.TranscriptService;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The service's own API document, as a client generator reads it: valid for swagger-parser (the parser under
 * openapi-generator), PostHog's operation ids, a declared parameter for every path template, a description for
 * every response, the key required where the API needs one, and the validation rules written into its schemas.
 */
@QuarkusTest
class ApiDocumentTest {

    private static OpenAPI document;
    private static List<String> messages;

    @BeforeEach
    void parse() {
        if (document != null) {
            return;
        }
        String json = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        document = result.getOpenAPI();
        messages = result.getMessages();
    }

    @Test
    void isValidOpenApi303() {
        assertEquals(List.of(), messages);
        assertNotNull(document);
        assertEquals("3.0.3", document.getOpenapi());
    }

    /** Every operation by its id, with its path: also proves the ids are unique. */
    private static Map<String, String> operations() {
        Map<String, String> operations = new TreeMap<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            assertNotNull(operation.getOperationId(), method + " " + path + " has no operation id");
            String previous = operations.put(operation.getOperationId(), method + " " + path);
            assertEquals(null, previous, "operation id used twice: " + operation.getOperationId());
        }));
        return operations;
    }

    @Test
    void theRecordingsOperationsHavePostHogsNames() {
        Map<String, String> operations = operations();
        for (String prefix : List.of("", "projects_")) {
            String base = prefix.isEmpty() ? "/api/environments/" : "/api/projects/";
            assertEquals("GET " + base + "{project_id}/desktop_recordings", operations.get(prefix + "desktop_recordings_list"));
            assertEquals("POST " + base + "{project_id}/desktop_recordings",
                    operations.get(prefix + "desktop_recordings_create"));
            String one = base + "{project_id}/desktop_recordings/{id}";
            assertEquals("GET " + one, operations.get(prefix + "desktop_recordings_retrieve"));
            assertEquals("PUT " + one, operations.get(prefix + "desktop_recordings_update"));
            assertEquals("PATCH " + one, operations.get(prefix + "desktop_recordings_partial_update"));
            assertEquals("DELETE " + one, operations.get(prefix + "desktop_recordings_destroy"));
            assertEquals("POST " + one + "/append_segments",
                    operations.get(prefix + "desktop_recordings_append_segments_create"));
            assertEquals("GET " + one + "/transcript/stream",
                    operations.get(prefix + "desktop_recordings_transcript_stream_retrieve"));
        }
    }

    @Test
    void theWebhookEndpointOperationsAreNamedInTheSameStyle() {
        Map<String, String> operations = operations();
        for (String prefix : List.of("", "projects_")) {
            String base = (prefix.isEmpty() ? "/api/environments/" : "/api/projects/") + "{project_id}/webhook_endpoints";
            String one = base + "/{id}";
            assertEquals("GET " + base, operations.get(prefix + "webhook_endpoints_list"));
            assertEquals("POST " + base, operations.get(prefix + "webhook_endpoints_create"));
            assertEquals("GET " + one, operations.get(prefix + "webhook_endpoints_retrieve"));
            assertEquals("PATCH " + one, operations.get(prefix + "webhook_endpoints_partial_update"));
            assertEquals("DELETE " + one, operations.get(prefix + "webhook_endpoints_destroy"));
            assertEquals("POST " + one + "/rotate_secret", operations.get(prefix + "webhook_endpoints_rotate_secret_create"));
            assertEquals("POST " + one + "/test", operations.get(prefix + "webhook_endpoints_test_create"));
            assertEquals("GET " + one + "/deliveries", operations.get(prefix + "webhook_endpoints_deliveries_list"));
            assertEquals("POST " + one + "/deliveries/{delivery_id}/retry",
                    operations.get(prefix + "webhook_endpoints_deliveries_retry_create"));
        }
        assertEquals(List.of("recording.created", "recording.updated", "recording.status_changed",
                "transcript.updated", "recording.deleted", "ping", "*"),
                property("WebhookEndpointCreate", "events").getItems().getEnum());
    }

    @Test
    void everyPathParameterIsDeclaredAndEveryResponseDescribed() {
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path;
            for (String template : path.split("/")) {
                if (template.startsWith("{")) {
                    String parameter = template.substring(1, template.length() - 1);
                    assertTrue(operation.getParameters() != null && operation.getParameters().stream()
                            .anyMatch(p -> p.getName().equals(parameter) && "path".equals(p.getIn())
                                    && Boolean.TRUE.equals(p.getRequired())), name + " does not declare " + parameter);
                }
            }
            operation.getResponses().forEach((status, response) -> assertTrue(
                    response.getDescription() != null && !response.getDescription().isBlank(),
                    name + " " + status + " has no description"));
        }));
    }

    @Test
    void theApiNeedsAKeyTheAdminApiItsTokenTheWebhookNeither() {
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String scheme = path.startsWith("/api/admin/") ? "AdminToken"
                    : path.startsWith("/api/desktop_recordings/webhooks/") ? null : "PersonalApiKey";
            List<String> schemes = operation.getSecurity() == null ? List.of()
                    : operation.getSecurity().stream().flatMap(requirement -> requirement.keySet().stream()).toList();
            assertEquals(scheme == null ? List.of() : List.of(scheme), schemes, method + " " + path);
        }));
        assertEquals("bearer", document.getComponents().getSecuritySchemes().get("PersonalApiKey").getScheme());
    }

    private static Schema<?> property(String schema, String property) {
        return (Schema<?>) document.getComponents().getSchemas().get(schema).getProperties().get(property);
    }

    @Test
    void theSchemasSayTheRulesValidationEnforces() {
        assertEquals(Recording.PLATFORMS, property("DesktopRecording", "platform").getEnum());
        assertEquals(Recording.STATUSES, property("DesktopRecording", "status").getEnum());
        assertEquals(Recording.PLATFORMS, property("DesktopRecordingCreate", "platform").getEnum());
        assertEquals(TranscriptService.MAX_BATCH, property("AppendSegments", "segments").getMaxItems());
        @SuppressWarnings("rawtypes")
        Map<String, Schema> schemas = document.getComponents().getSchemas();
        assertEquals(List.of("platform"), schemas.get("DesktopRecordingUpdate").getRequired());
        assertEquals(Scopes.KNOWN, property("AdminPersonalApiKeyCreate", "scopes").getItems().getEnum());
        assertEquals(Set.of("type", "code", "detail", "attr"), Set.copyOf(schemas.get("Error").getRequired()));
        // the list's query parameters too
        Operation list = document.getPaths().get("/api/projects/{project_id}/desktop_recordings").getGet();
        assertEquals(Recording.STATUSES, list.getParameters().stream().filter(p -> p.getName().equals("status"))
                .findFirst().orElseThrow().getSchema().getEnum());
        // no pattern on UUIDs: generated Python clients fail to import with it
        assertEquals(null, schemas.get("UUID").getPattern());
    }

    /** Each event type a receiver can get is in x-webhooks, its body an event of that type with typed data. */
    @Test
    @SuppressWarnings("unchecked")
    void theWebhookEventsAreDescribedWithTypedData() {
        Map<String, Object> webhooks = (Map<String, Object>) document.getExtensions().get("x-webhooks");
        assertNotNull(webhooks, "no x-webhooks");
        List<String> types = new java.util.ArrayList<>(dev.recordings.webhook.WebhookEvents.CHOICES);
        types.remove(dev.recordings.webhook.WebhookEvents.ALL);
        assertEquals(new java.util.TreeSet<>(types), new java.util.TreeSet<>(webhooks.keySet()));
        Map<String, Schema> schemas = document.getComponents().getSchemas();
        Schema<?> transcript = schemas.get("WebhookEvent_transcript_updated");
        assertEquals(List.of("transcript.updated"), ((Schema<?>) transcript.getProperties().get("type")).getEnum());
        Schema<?> data = schemas.get("TranscriptUpdatedData");
        assertEquals(List.of("id", "project_id", "segment_count", "start", "segments", "truncated", "replaced",
                "renamed"), List.copyOf(data.getProperties().keySet()));
        assertEquals(Set.of("from", "to"), schemas.get("RenamedSpeaker").getProperties().keySet());
        assertEquals(List.of("id", "project_id", "status", "previous_status", "updated_at"),
                List.copyOf(schemas.get("RecordingStatusChangedData").getProperties().keySet()));
        Schema<?> recording = schemas.get("RecordingEventData");
        assertTrue(recording.getProperties().keySet().containsAll(List.of("id", "meeting_title", "segment_count",
                "project_id")), recording.getProperties().keySet().toString());
        assertTrue(recording.getProperties().keySet().stream().noneMatch(name -> name.toString().startsWith("transcript_")));
        String body = ((Map<String, Map<String, Map<String, Map<String, Map<String, Map<String, String>>>>>>)
                webhooks.get("recording.deleted")).get("post").get("requestBody").get("content")
                .get("application/json").get("schema").get("$ref");
        assertEquals("#/components/schemas/WebhookEvent_recording_deleted", body);
    }
}
