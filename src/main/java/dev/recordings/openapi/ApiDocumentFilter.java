package dev.recordings.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import dev.recordings.auth.Scopes;
import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingFields;
import dev.recordings.transcript.TranscriptExport;
import dev.recordings.transcript.TranscriptService;
import dev.recordings.webhook.WebhookEvents;

/**
 * The parts of the API document that annotations cannot say once: the recordings endpoints live under two prefixes
 * (one resource class each, sharing their methods), so their operation ids, path parameter, security and common
 * errors are set here by path; and the rules that validation enforces (platforms, statuses, the batch limit) are
 * written into the schemas from the same Java constants, so the document cannot drift from the code.
 */
public class ApiDocumentFilter implements OASFilter {

    static final String API_KEY_SCHEME = "PersonalApiKey";
    static final String ADMIN_SCHEME = "AdminToken";
    private static final String ERROR = "#/components/schemas/Error";
    private static final String PROJECTS = "/api/projects/";
    private static final String ENVIRONMENTS = "/api/environments/";
    private static final String ADMIN = "/api/admin/";
    private static final String CREATE = "DesktopRecordingCreate";
    private static final String UPDATE = "DesktopRecordingUpdate";
    private static final String TRANSCRIPT_SEGMENTS = "transcript_segments";
    private static final String PARTIAL_UPDATE = "PatchedDesktopRecording";

    /** Error answers every recordings operation can give, before its own. */
    private static final Map<String, String> RECORDING_ERRORS = Map.of(
            "401", "No key, or a malformed, unknown or revoked one.",
            "403", "The key lacks the scope, or is restricted to other projects.",
            "404", "No such project (or not a member), or no such recording.",
            "429", "The key's rate limit is used up for now; Retry-After says when to try again.");

    @Override
    public void filterOpenAPI(OpenAPI document) {
        document.getComponents().addSecurityScheme(ADMIN_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("The provisioning token: Authorization: Bearer $RECORDINGS_ADMIN_TOKEN"));
        Map<String, Schema> schemas = document.getComponents().getSchemas();
        enumerate(schemas.get("DesktopRecording"), "platform", Recording.PLATFORMS);
        enumerate(schemas.get("DesktopRecording"), "status", Recording.STATUSES);
        schemas.get("AppendSegments").getProperties().get("segments").maxItems(TranscriptService.MAX_BATCH);
        schemas.get("AdminPersonalApiKeyCreate").getProperties().get("scopes").getItems()
                .enumeration(new ArrayList<>(Scopes.KNOWN));
        for (String webhookSchema : List.of("WebhookEndpoint", "WebhookEndpointCreate", "PatchedWebhookEndpoint",
                "WebhookEndpointWithSecret")) {
            schemas.get(webhookSchema).getProperties().get("events").getItems()
                    .enumeration(new ArrayList<>(WebhookEvents.CHOICES));
        }
        // Every field is in every answer: saying so lets a generated client tell a recording from the append's
        // minimal answer, which in turn has nothing else.
        Schema recording = schemas.get("DesktopRecording");
        recording.required(new ArrayList<>(recording.getProperties().keySet()));
        Schema minimal = schemas.get("AppendSegmentsMinimal");
        minimal.required(new ArrayList<>(minimal.getProperties().keySet())).additionalPropertiesBoolean(false);
        Schema error = schemas.get("Error");
        error.required(new ArrayList<>(error.getProperties().keySet()));
        // which fields a client writes, and when, is the fields' declaration's to say (RecordingFields)
        List<String> writable = new ArrayList<>(RecordingFields.writableNames());
        recording.getProperties().forEach((name, property) -> property.readOnly(
                writable.contains(name) || name.equals(TRANSCRIPT_SEGMENTS) ? null : true));
        document.getComponents().addSchema(CREATE, createFields(recording));
        // PUT and PATCH take the recording's writable fields and a whole transcript: PUT requires platform
        writable.add(TRANSCRIPT_SEGMENTS);
        document.getComponents().addSchema(UPDATE, fields(recording, writable)
                .required(List.of(RecordingFields.PLATFORM.name())));
        document.getComponents().addSchema(PARTIAL_UPDATE, fields(recording, writable));
        document.getPaths().getPathItems().forEach(this::filterPath);
        describeWebhooks(document, recording);
    }

    /**
     * The events sent to webhook endpoints. OpenAPI 3.1 has a {@code webhooks} section; this document stays 3.0.3 (see
     * application.properties), so they are listed under {@code x-webhooks} (the name Redoc and others read), one
     * operation per event type, and each event's data is a component schema, which a generated client makes a model
     * of. recording.created and recording.updated carry the recording as {@code get_recording} shows it.
     */
    private static void describeWebhooks(OpenAPI document, Schema recording) {
        Schema data = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("The recording without its transcript, with its project and segment_count.");
        recording.getProperties().forEach((name, property) -> {
            if (!name.startsWith("transcript_")) {
                data.addProperty(name, property);
            }
        });
        data.addProperty("segment_count", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)));
        data.addProperty("project_id", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                .format("int64"));
        data.addProperty("truncated", OASFactory.createSchema().type(List.of(Schema.SchemaType.BOOLEAN))
                .description("Present and true when the event was cut to fit 64 KB."));
        document.getComponents().addSchema("RecordingEventData", data);
        Schema updated = OASFactory.createSchema().allOf(List.of(OASFactory.createSchema()
                .ref("RecordingEventData"), OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("changed", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                        .items(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                        .description("The fields that changed."))
                .required(List.of("changed"))));
        document.getComponents().addSchema("RecordingUpdatedData", updated);
        Map<String, String> dataOf = new java.util.LinkedHashMap<>();
        dataOf.put(WebhookEvents.CREATED, "RecordingEventData");
        dataOf.put(WebhookEvents.UPDATED, "RecordingUpdatedData");
        dataOf.put(WebhookEvents.STATUS_CHANGED, "RecordingStatusChangedData");
        dataOf.put(WebhookEvents.TRANSCRIPT, "TranscriptUpdatedData");
        dataOf.put(WebhookEvents.DELETED, "RecordingDeletedData");
        dataOf.put(WebhookEvents.PING, "PingData");
        Map<String, Object> webhooks = new java.util.LinkedHashMap<>();
        dataOf.forEach((type, dataSchema) -> {
            String eventSchema = "WebhookEvent_" + type.replace('.', '_');
            document.getComponents().addSchema(eventSchema, OASFactory.createSchema()
                    .type(List.of(Schema.SchemaType.OBJECT)).required(List.of("type", "timestamp", "data"))
                    .addProperty("type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                            .enumeration(List.of(type)))
                    .addProperty("timestamp", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                            .format("date-time"))
                    .addProperty("data", OASFactory.createSchema().ref(dataSchema)));
            webhooks.put(type, Map.of("post", Map.of(
                    "summary", "The " + type + " event",
                    "description", "Signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)."
                            + " Any 2xx within the timeout is a success; see docs/API.md, Outbound webhooks.",
                    "requestBody", Map.of("required", true, "content", Map.of("application/json",
                            Map.of("schema", Map.of("$ref", "#/components/schemas/" + eventSchema)))),
                    "responses", Map.of("2XX", Map.of("description", "Received.")))));
        });
        document.addExtension("x-webhooks", webhooks);
    }

    private static Schema fields(Schema recording, List<String> names) {
        Schema fields = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT));
        names.forEach(name -> fields.addProperty(name, recording.getProperties().get(name)));
        return fields;
    }

    /** The fields a create takes; a platform left out is the default one, the start time the creation's. */
    private static Schema createFields(Schema recording) {
        Schema create = fields(recording, RecordingFields.createNames());
        create.addProperty(RecordingFields.PLATFORM.name(), OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.STRING)).enumeration(new ArrayList<>(Recording.PLATFORMS))
                .defaultValue(RecordingFields.DEFAULT_PLATFORM));
        create.addProperty("started_at", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                .format("date-time").description("Defaults to the time of creation."));
        return create;
    }

    private void filterPath(String path, PathItem item) {
        boolean recordings = path.startsWith(PROJECTS) || path.startsWith(ENVIRONMENTS);
        item.getOperations().forEach((method, operation) -> {
            if (recordings) {
                if (path.startsWith(PROJECTS) && operation.getOperationId() != null) {
                    operation.setOperationId("projects_" + operation.getOperationId());
                }
                projectParameterFirst(operation);
                operation.setSecurity(List.of(requirement(API_KEY_SCHEME)));
                RECORDING_ERRORS.forEach((status, description) -> {
                    if (!operation.getResponses().hasAPIResponse(status)) {
                        operation.getResponses().addAPIResponse(status, error(description));
                    }
                });
                if (method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.PATCH) {
                    operation.getRequestBody().getContent().getMediaType("application/json").setSchema(
                            OASFactory.createSchema().ref(method == PathItem.HttpMethod.PUT ? UPDATE : PARTIAL_UPDATE));
                }
                enumerateParameter(operation, "platform", Recording.PLATFORMS);
                enumerateParameter(operation, "status", Recording.STATUSES);
                enumerateParameter(operation, "format", TranscriptExport.Format.NAMES);
            } else if (path.startsWith(ADMIN)) {
                operation.setSecurity(List.of(requirement(ADMIN_SCHEME)));
            }
            describeResponses(operation.getResponses());
        });
    }

    private static void projectParameterFirst(Operation operation) {
        List<Parameter> parameters = new ArrayList<>();
        parameters.add(OASFactory.createParameter().name("project_id").in(Parameter.In.PATH).required(true)
                .description("The project (PostHog calls it the environment or team) id.")
                .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).format("int64")));
        if (operation.getParameters() != null) {
            operation.getParameters().stream().filter(parameter -> !"project_id".equals(parameter.getName()))
                    .forEach(parameters::add);
        }
        operation.setParameters(parameters);
    }

    private static SecurityRequirement requirement(String scheme) {
        return OASFactory.createSecurityRequirement().addScheme(scheme);
    }

    private static APIResponse error(String description) {
        return OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR))));
    }

    /** A response without a description is invalid OpenAPI: the status's own phrase is better than none. */
    private static void describeResponses(APIResponses responses) {
        responses.getAPIResponses().forEach((status, response) -> {
            if (response.getDescription() == null || response.getDescription().isBlank()) {
                response.setDescription(switch (status) {
                    case "200" -> "OK";
                    case "201" -> "Created";
                    case "204" -> "No content";
                    case "400" -> "The body or a query parameter breaks a rule; attr names which.";
                    default -> "See the error body.";
                });
            }
        });
    }

    private static void enumerate(Schema schema, String property, List<String> values) {
        schema.getProperties().get(property).enumeration(new ArrayList<>(values));
    }

    private static void enumerateParameter(Operation operation, String name, List<String> values) {
        if (operation.getParameters() != null) {
            operation.getParameters().stream().filter(parameter -> name.equals(parameter.getName()))
                    .forEach(parameter -> parameter.getSchema().enumeration(new ArrayList<>(values)));
        }
    }
}
