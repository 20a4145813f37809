package dev.recordings.recording.rest;

import java.net.URI;
import java.util.Collections;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.recording.ListParameters;
import dev.recordings.recording.SearchParameters;
import dev.recordings.recording.RecordingJson;
import dev.recordings.auth.ApiCaller;
import dev.recordings.auth.ProjectAccess;
import dev.recordings.auth.Scopes;
import dev.recordings.error.ApiError;
import dev.recordings.json.JsonBodyReader;
import dev.recordings.http.LoadShedding;
import dev.recordings.http.PageLinks;
import dev.recordings.http.StreamedBody;
import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingInput;
import dev.recordings.recording.RecordingRepository;
import dev.recordings.recording.RecordingService;
import dev.recordings.transcript.AppendResult;
import dev.recordings.transcript.SegmentSearch;
import dev.recordings.transcript.SpeakerRename;
import dev.recordings.transcript.TranscriptExport;
import dev.recordings.transcript.stream.StreamStart;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * The desktop recordings endpoints. The reference API has two prefixes, so one subclass per prefix gives each its
 * own literal path (clear route templates in metrics and logs, and in OpenAPI). Bodies arrive as bytes and are read
 * only after the caller, the project and the recording have been checked, the order of checks the contract sets.
 * Class-level OpenAPI annotations of this abstract class would not reach its subclasses' operations: the
 * {@code project_id} parameter, the key requirement and the common errors are added by path in ApiDocumentFilter.
 */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Tag(name = "Desktop recordings")
public abstract class DesktopRecordingResource {

    private static final String MINIMAL = "return=minimal";

    private final RecordingService recordings;
    private final ProjectAccess access;
    private final JsonBodyReader bodies;
    private final SecurityIdentity identity;
    private final RecordingJson json;
    private final TranscriptFile files;
    private final LoadShedding loadShedding;

    protected DesktopRecordingResource(RecordingService recordings, ProjectAccess access, JsonBodyReader bodies,
            SecurityIdentity identity, RecordingJson json, TranscriptFile files, LoadShedding loadShedding) {
        this.recordings = recordings;
        this.access = access;
        this.bodies = bodies;
        this.identity = identity;
        this.json = json;
        this.files = files;
        this.loadShedding = loadShedding;
    }

    @GET
    @RolesAllowed(Scopes.READ)
    @Operation(operationId = "desktop_recordings_list", summary = "List desktop recordings", description = "Newest started_at first, ties by id descending.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RecordingPage.class)))
    @APIResponse(responseCode = "400", description = "A malformed query parameter.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<StreamedBody> list(
            @PathParam("project_id") @Parameter(schema = @Schema(type = SchemaType.INTEGER)) String projectId,
            @QueryParam("limit") @Parameter(description = "Default 100, at most 1000.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String limit,
            @QueryParam("offset") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) String offset,
            @QueryParam("user_id") @Parameter(description = "The creator's user id.",
                    schema = @Schema(type = SchemaType.INTEGER)) String userId,
            @QueryParam("platform") String platform,
            @QueryParam("status") String status,
            @QueryParam("search") @Parameter(description = "Case-insensitive substring of the transcript text.")
            String search,
            @Context UriInfo uri) {
        return project(projectId).chain(project -> {
            ListParameters parameters = ListParameters.parse(limit, offset, userId, platform, status, search);
            return recordings.list(project, parameters.filter(), parameters.limit(), parameters.offset())
                    .map(page -> json.page(page,
                            PageLinks.next(uri, parameters.limit(), parameters.offset(), page.count()),
                            PageLinks.previous(uri, parameters.limit(), parameters.offset())));
        });
    }

    @GET
    @Path("/search")
    @RolesAllowed(Scopes.READ)
    @Operation(operationId = "desktop_recordings_search_list", summary = "Search what was said across recordings",
            description = "Segments whose text contains q (ignoring case), in the list's order of recordings, then "
                    + "by position.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SegmentSearchPage.class)))
    @APIResponse(responseCode = "400", description = "A missing or malformed query parameter.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<SegmentSearchPage> search(@PathParam("project_id") String projectId,
            @QueryParam("q") @Parameter(required = true, schema = @Schema(type = SchemaType.STRING,
                    minLength = SegmentSearch.SHORTEST, maxLength = SegmentSearch.LONGEST)) String q,
            @QueryParam("speaker") @Parameter(description = "Exact speaker.") String speaker,
            @QueryParam("recording_id") @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            String recordingId,
            @QueryParam("platform") String platform,
            @QueryParam("status") String status,
            @QueryParam("limit") @Parameter(description = "Default 20, at most 100.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String limit,
            @QueryParam("offset") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) String offset,
            @Context UriInfo uri) {
        return project(projectId).chain(project -> {
            SegmentSearch.Query query = SearchParameters.parse(q, speaker, recordingId, platform, status, limit,
                    offset);
            return recordings.searchSegments(project, query).map(page -> new SegmentSearchPage(page.count(),
                    PageLinks.next(uri, query.limit(), query.offset(), page.count()),
                    PageLinks.previous(uri, query.limit(), query.offset()), page.hits()));
        });
    }

    @POST
    @RolesAllowed(Scopes.WRITE)
    @Operation(operationId = "desktop_recordings_create", summary = "Create a desktop recording",
            description = "Gets the Recall.ai upload token the desktop SDK needs.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "DesktopRecordingCreate")))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = CreatedRecording.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Recall.ai is not configured or failed.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> create(@PathParam("project_id") String projectId, @Context HttpHeaders headers,
            @Context UriInfo uri, byte[] body) {
        ApiCaller caller = ApiCaller.of(identity);
        return project(projectId)
                .chain(project -> recordings.create(project, caller.userId(),
                        RecordingInput.forCreate(read(headers, body))))
                .map(created -> Response.created(location(uri, created.recording()))
                        .entity(json.recording(RecordingRepository.Read.withoutTranscript(created.recording()),
                                Collections.singletonMap("upload_token", created.uploadToken())))
                        .build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Scopes.READ)
    @Operation(operationId = "desktop_recordings_retrieve", summary = "Retrieve a desktop recording")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Recording.class),
            examples = @ExampleObject(name = "recording", value = RecordingRequests.RECORDING_EXAMPLE)))
    public Uni<StreamedBody> retrieve(@PathParam("project_id") String projectId, @PathParam("id") String id) {
        return project(projectId).chain(project -> recordings.retrieve(project, id)).map(this::single);
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Scopes.WRITE)
    @Operation(operationId = "desktop_recordings_update", summary = "Update a desktop recording",
            description = "platform is required; fields left out keep their values.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Recording.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Recording.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<StreamedBody> replace(@PathParam("project_id") String projectId, @PathParam("id") String id,
            @Context HttpHeaders headers, byte[] body) {
        return project(projectId).chain(project -> recordings.update(project, id,
                () -> RecordingInput.forUpdate(read(headers, body), false))).map(this::single);
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Scopes.WRITE)
    @Operation(operationId = "desktop_recordings_partial_update", summary = "Partially update a desktop recording")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Recording.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Recording.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<StreamedBody> update(@PathParam("project_id") String projectId, @PathParam("id") String id,
            @Context HttpHeaders headers, byte[] body) {
        return project(projectId).chain(project -> recordings.update(project, id,
                () -> RecordingInput.forUpdate(read(headers, body), true))).map(this::single);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Scopes.WRITE)
    @Operation(operationId = "desktop_recordings_destroy", summary = "Delete a desktop recording")
    @APIResponse(responseCode = "204", description = "Deleted.")
    public Uni<Response> delete(@PathParam("project_id") String projectId, @PathParam("id") String id) {
        return project(projectId).chain(project -> recordings.delete(project, id))
                .map(nothing -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/transcript")
    @RolesAllowed(Scopes.READ)
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, "application/x-subrip", "text/vtt" })
    @Operation(operationId = "desktop_recordings_transcript_retrieve", summary = "Export the transcript",
            description = "json: the stored segments in order. txt, srt and vtt leave out interim segments "
                    + "(is_final false) and come as an attachment; srt and vtt hold one cue per timed segment, "
                    + "ending at the next cue's start, at most 10 s later, or 3 s after its own start.")
    @APIResponse(responseCode = "200", description = "The transcript in the format asked for.", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordingRequests.TranscriptJson.class)),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "application/x-subrip", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "400", description = "An unknown format.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> transcript(@PathParam("project_id") String projectId, @PathParam("id") String id,
            @QueryParam("format") @Parameter(description = "json (the default), txt, srt or vtt.") String format) {
        return project(projectId).chain(project -> recordings.export(project, id, format)).map(exported -> {
            Response.ResponseBuilder answer = Response.ok(files.of(exported.recording(), exported.format()))
                    .type(exported.format().mediaType());
            if (exported.format() != TranscriptExport.Format.JSON) {
                answer.header("Content-Disposition", "attachment; filename=\""
                        + exported.recording().recordings().get(0).id + "." + exported.format().extension() + "\"");
            }
            return answer.build();
        });
    }

    @GET
    @Path("/{id}/transcript/stream")
    @RolesAllowed(Scopes.READ)
    @Produces({ MediaType.SERVER_SENT_EVENTS, MediaType.APPLICATION_JSON })
    @Operation(operationId = "desktop_recordings_transcript_stream_retrieve", summary = "Watch the transcript live",
            description = LiveTranscriptDocument.DESCRIPTION)
    @APIResponse(responseCode = "200", description = "Server-sent events until the client leaves, the recording is "
            + "deleted, or the instance ends the stream.", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = LiveTranscriptDocument.Event.class),
                    examples = @ExampleObject(name = "events", value = LiveTranscriptDocument.EXAMPLE)))
    @APIResponse(responseCode = "400", description = "A negative or non-integer after or Last-Event-ID.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "This instance holds its limit of streams, is shutting "
            + "down, or cannot reach the database.", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> stream(@PathParam("project_id") String projectId, @PathParam("id") String id,
            @HeaderParam(StreamStart.LAST_EVENT_ID) @Parameter(description = "The id of the last event received; "
                    + "wins over after.", schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
            String lastEventId,
            @QueryParam(StreamStart.AFTER) @Parameter(description = "Segments the client already holds: the "
                    + "catch-up starts at this position. Default 0.",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) String after,
            @Context RoutingContext routing) {
        io.vertx.core.Context context = Vertx.currentContext();
        return project(projectId)
                .chain(project -> recordings.watch(ApiCaller.of(identity), project, id, lastEventId, after, context))
                .map(events -> {
                    loadShedding.release(routing);
                    return Response.ok(StreamedBody.live(events)).type(MediaType.SERVER_SENT_EVENTS_TYPE)
                            .header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no").build();
                });
    }

    @POST
    @Path("/{id}/speakers")
    @RolesAllowed(Scopes.WRITE)
    @Operation(operationId = "desktop_recordings_speakers_create", summary = "Rename or merge a speaker",
            description = "Every segment whose speaker is from (null: no speaker, or a blank one) gets to, across "
                    + "the whole transcript; in participants from becomes to, kept once. Atomic with appends.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RecordingRequests.Speakers.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SpeakerRename.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<SpeakerRename> speakers(@PathParam("project_id") String projectId, @PathParam("id") String id,
            @Context HttpHeaders headers, byte[] body) {
        return project(projectId).chain(project -> recordings.renameSpeaker(project, id, () -> read(headers, body)));
    }

    @POST
    @Path("/{id}/append_segments")
    @RolesAllowed(Scopes.WRITE)
    @Operation(operationId = "desktop_recordings_append_segments_create", summary = "Append transcript segments",
            description = "Merges a batch of 1 to 1000 segments in one atomic statement: a segment with a known id "
                    + "replaces it in place, a retry (same timestamp and text, no id) is dropped, the rest is "
                    + "appended. With Prefer: return=minimal the answer is a small summary.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RecordingRequests.AppendSegments.class),
            examples = @ExampleObject(name = "batch", value = RecordingRequests.APPEND_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The recording, or with Prefer: return=minimal the summary.",
            content = @Content(schema = @Schema(oneOf = { Recording.class, AppendResult.class })))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> appendSegments(@PathParam("project_id") String projectId, @PathParam("id") String id,
            @HeaderParam("Prefer") @Parameter(description = "return=minimal for the summary answer.") String prefer,
            @Context HttpHeaders headers, byte[] body) {
        return project(projectId).chain(project -> {
            boolean minimal = prefer != null && prefer.toLowerCase().contains(MINIMAL);
            return recordings.append(project, id, () -> read(headers, body), !minimal)
                    .map(appended -> minimal
                            ? Response.ok(appended.summary()).header("Preference-Applied", MINIMAL).build()
                            : Response.ok(single(appended.recording())).build());
        });
    }

    private StreamedBody single(RecordingRepository.Read read) {
        return json.recording(read, Map.of());
    }

    private Uni<Long> project(String projectId) {
        return access.check(ApiCaller.of(identity), projectId);
    }

    private ObjectNode read(HttpHeaders headers, byte[] body) {
        return bodies.readObject(headers, body);
    }

    private static URI location(UriInfo uri, Recording recording) {
        String collection = uri.getAbsolutePath().toString();
        return URI.create(collection + (collection.endsWith("/") ? "" : "/") + recording.id + "/");
    }
}
