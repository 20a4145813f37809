package dev.recordings.mcp;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.auth.ApiCaller;
import dev.recordings.auth.ProjectAccess;
import dev.recordings.auth.Scopes;
import dev.recordings.error.ApiException;
import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingFilter;
import dev.recordings.recording.RecordingService;
import dev.recordings.recording.ListParameters;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import dev.recordings.recording.RecordingJson;
import dev.recordings.recording.SearchParameters;
import dev.recordings.transcript.SegmentSearch;
import dev.recordings.transcript.TranscriptExport;
import dev.recordings.transcript.TranscriptWindow;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The MCP tools at {@code /mcp}: what an assistant needs to find and read what was said in meetings. Each call is
 * checked as a REST request is (the key, which /mcp requires like the API, then its rate limit in McpGuard, scope,
 * project
 * restriction and membership) and served by the same services; a refusal is a tool error with the REST API's error
 * body. Every call stands alone, so any replica serves it.
 */
@ApplicationScoped
public class MeetingTools {

    static final int LIST_DEFAULT = 20;
    static final int LIST_MOST = 50;
    static final int TRANSCRIPT_DEFAULT = 300;
    static final int TRANSCRIPT_MOST = 1000;

    private static final String PROJECT = "The numeric id of the project (team) the meetings belong to, as in the "
            + "REST API's /api/projects/{project_id}/ paths.";
    private static final String RECORDING = "The recording's id (a UUID), as list_recordings or search_transcripts "
            + "give it.";

    private final SecurityIdentity identity;
    private final ProjectAccess access;
    private final RecordingService recordings;
    private final RecordingJson json;
    private final ObjectMapper mapper;
    private final ToolAnswers answers;
    private final CurrentVertxRequest request;
    private final MeterRegistry metrics;

    public MeetingTools(SecurityIdentity identity, ProjectAccess access, RecordingService recordings,
            RecordingJson json, ObjectMapper mapper, CurrentVertxRequest request, MeterRegistry metrics) {
        this.request = request;
        this.metrics = metrics;
        this.identity = identity;
        this.access = access;
        this.recordings = recordings;
        this.json = json;
        this.mapper = mapper;
        this.answers = new ToolAnswers(mapper);
    }

    @Tool(name = "list_recordings", description = "Lists the project's meeting recordings, newest first, without "
            + "their transcripts: title, platform, status, participants, start and end times, summary, and "
            + "segment_count (the transcript's length, for get_transcript). Use search to keep only meetings whose "
            + "transcript contains a phrase. Answers {\"count\": total matching, \"results\": [...]}; page with "
            + "offset.", annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false))
    @WithSpan("mcp list_recordings")
    public Uni<ToolResponse> listRecordings(
            @ToolArg(name = "project_id", description = PROJECT) long projectId,
            @ToolArg(description = "Only meetings whose transcript contains this text (case-insensitive).",
                    required = false) String search,
            @ToolArg(description = "Only meetings on this platform: one of " + Recording.PLATFORM_NAMES + ".",
                    required = false) String platform,
            @ToolArg(description = "Only meetings in this status: one of " + Recording.STATUS_NAMES + ".",
                    required = false) String status,
            @ToolArg(description = "How many meetings to answer: default 20, at most 50.", required = false)
            Integer limit,
            @ToolArg(description = "How many meetings to skip, for the next page. Default 0.", required = false)
            Integer offset) {
        return call("list_recordings", Scopes.READ, projectId, project -> {
            int pageSize = bounded(limit, LIST_DEFAULT, LIST_MOST, "limit");
            long skipped = offset == null ? 0 : ListParameters.integer(offset.toString(), "offset", 0);
            RecordingFilter filter = new RecordingFilter(null, ListParameters.choice(platform, "platform"),
                    ListParameters.choice(status, "status"), ListParameters.search(search));
            return recordings.summaries(project, filter, pageSize, skipped).map(page -> {
                ObjectNode answer = mapper.createObjectNode().put("count", page.count());
                ArrayNode results = answer.putArray("results");
                page.recordings().forEach(recording -> results.add(json.summary(recording)));
                return answer;
            });
        });
    }

    @Tool(name = "get_recording", description = "One meeting recording without its transcript: title, platform, "
            + "status, participants, start and end times, notes, summary, extracted tasks, and segment_count (the "
            + "transcript's length). Read what was said with get_transcript.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false))
    @WithSpan("mcp get_recording")
    public Uni<ToolResponse> getRecording(
            @ToolArg(name = "project_id", description = PROJECT) long projectId,
            @ToolArg(name = "recording_id", description = RECORDING) String recordingId) {
        return call("get_recording", Scopes.READ, projectId, project -> recordings.summary(project, recordingId)
                .map(json::summary));
    }

    @Tool(name = "get_transcript", description = "What was said in one meeting, as lines \"[hh:mm:ss] Speaker: "
            + "text\" (time from the start of the recording), in order, from segment position start. Interim "
            + "segments (is_final false) are left out. Answers {\"recording_id\", \"start\", \"next\", \"lines\"}: "
            + "ask again with start = next for the rest; next is null at the end of the transcript. A long answer is "
            + "cut to fit 64 KB, and next then points at the first segment left out.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false))
    @WithSpan("mcp get_transcript")
    public Uni<ToolResponse> getTranscript(
            @ToolArg(name = "project_id", description = PROJECT) long projectId,
            @ToolArg(name = "recording_id", description = RECORDING) String recordingId,
            @ToolArg(description = "The segment position to start from (0 is the first). Default 0.",
                    required = false) Integer start,
            @ToolArg(description = "How many segments to read: default 300, at most 1000.", required = false)
            Integer limit) {
        return call("get_transcript", Scopes.READ, projectId, project -> {
            int from = start == null ? 0 : (int) ListParameters.integer(start.toString(), "start", 0);
            int size = bounded(limit, TRANSCRIPT_DEFAULT, TRANSCRIPT_MOST, "limit");
            return recordings.segments(project, recordingId, from, size).map(window -> lines(recordingId, window));
        });
    }

    @Tool(name = "search_transcripts", description = "Finds what was said across the project's meetings: each "
            + "segment whose text contains the query (case-insensitive), with its meeting's id, title and start "
            + "time, its position in the transcript (index, for get_transcript's start), timestamp and speaker. "
            + "Newest meetings first. Answers {\"count\": total hits, \"results\": [...]}.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false))
    @WithSpan("mcp search_transcripts")
    public Uni<ToolResponse> searchTranscripts(
            @ToolArg(name = "project_id", description = PROJECT) long projectId,
            @ToolArg(description = "The words to find, 3 to 200 characters: a phrase said in the meeting, such as "
                    + "\"pricing\".") String query,
            @ToolArg(description = "Only segments said by this speaker (exact name).", required = false)
            String speaker,
            @ToolArg(name = "recording_id", description = "Only this meeting (a UUID).", required = false)
            String recordingId,
            @ToolArg(description = "How many hits to answer: default 20, at most 50.", required = false)
            Integer limit) {
        return call("search_transcripts", Scopes.READ, projectId, project -> {
            int size = bounded(limit, LIST_DEFAULT, LIST_MOST, "limit");
            SegmentSearch.Query parsed = queryNamed(() -> SearchParameters.parse(query, speaker, recordingId, null,
                    null, Integer.toString(size), null));
            return recordings.searchSegments(project, parsed).map(page -> {
                ObjectNode answer = mapper.createObjectNode().put("count", page.count());
                ArrayNode results = answer.putArray("results");
                page.hits().forEach(hit -> results.add(mapper.<JsonNode>valueToTree(hit)));
                return answer;
            });
        });
    }

    @Tool(name = "rename_speaker", description = "Renames a speaker across one meeting's whole transcript and its "
            + "participants, or merges two speakers (rename one to the other's name). Needs a key with "
            + "desktop_recording:write. Answers {\"id\", \"renamed\": segments changed, \"participants\"}.",
            annotations = @Tool.Annotations(readOnlyHint = false, destructiveHint = false, idempotentHint = true,
                    openWorldHint = false))
    @WithSpan("mcp rename_speaker")
    public Uni<ToolResponse> renameSpeaker(
            @ToolArg(name = "project_id", description = PROJECT) long projectId,
            @ToolArg(name = "recording_id", description = RECORDING) String recordingId,
            @ToolArg(description = "The speaker name to replace, exactly as in the transcript; omit it (or null) for "
                    + "segments without a speaker.", required = false) String from,
            @ToolArg(description = "The new name, at most 255 characters.") String to) {
        return call("rename_speaker", Scopes.WRITE, projectId, project -> {
            ObjectNode body = mapper.createObjectNode();
            body.put("from", from);
            body.put("to", to);
            // the participants as a tree, not the raw JSON the REST answer writes, so that the bound can cut them
            return recordings.renameSpeaker(project, recordingId, () -> body).map(renamed -> {
                ObjectNode answer = mapper.createObjectNode().put("id", renamed.id().toString())
                        .put("renamed", renamed.renamed());
                answer.set("participants", parse(renamed.participants()));
                return answer;
            });
        });
    }

    /**
     * The REST API's checks after the key and its rate limit (McpGuard takes every MCP request from it), in its
     * order, then the work; every failure a tool error.
     */
    private Uni<ToolResponse> call(String tool, String scope, long projectId, Function<Long, Uni<ObjectNode>> work) {
        Uni<ObjectNode> answer = Uni.createFrom().deferred(() -> {
            ApiCaller caller = ApiCaller.of(identity);
            if (!identity.hasRole(scope)) {
                return Uni.createFrom().failure(ApiException.missingScope());
            }
            return access.check(caller, Long.toString(projectId)).chain(project -> work.apply(project));
        });
        // the HTTP request's routing context, for the request id an unexpected failure is logged and answered with
        RoutingContext context = request.getCurrent();
        return answer.map(answers::success).invoke(done -> count(tool, "ok")).onFailure()
                .recoverWithItem(failure -> {
                    count(tool, failure instanceof ApiException refused && refused.status() < 500 ? "refused"
                            : "failed");
                    return answers.failure(failure, context);
                });
    }

    private void count(String tool, String outcome) {
        Counter.builder("recordings.mcp.tool_calls").tag("tool", tool).tag("outcome", outcome)
                .description("MCP tool calls, by tool and outcome: ok, refused (the REST API's 4xx), failed")
                .register(metrics).increment();
    }

    /** A limit as the REST API takes one: below 1 refused, above the most cut to it. */
    private static int bounded(Integer value, int byDefault, int most, String attr) {
        return value == null ? byDefault
                : (int) Math.min(most, ListParameters.integer(value.toString(), attr, 1));
    }

    /** The search's own parameter is {@code q}; here it is {@code query}, and its errors say so. */
    private static SegmentSearch.Query queryNamed(java.util.function.Supplier<SegmentSearch.Query> parse) {
        try {
            return parse.get();
        } catch (ApiException invalid) {
            if (!"q".equals(invalid.error().attr())) {
                throw invalid;
            }
            throw ApiException.validation(invalid.error().code(), invalid.error().detail(), "query");
        }
    }

    /**
     * The window's segments as text lines, as many as fit the bound: {@code next} is the first position not in the
     * lines, or null when they reach the transcript's end.
     */
    private ObjectNode lines(String recordingId, TranscriptWindow window) {
        ObjectNode answer = mapper.createObjectNode();
        answer.put("recording_id", recordingId);
        answer.put("start", window.from());
        answer.putNull("next");
        ArrayNode lines = answer.putArray("lines");
        JsonNode segments = parse(window.segmentsArray());
        TranscriptExport.Writer text = TranscriptExport.writer(TranscriptExport.Format.TXT);
        int budget = ToolAnswers.MOST_BYTES - answers.size(answer) - 300;
        int position = window.from();
        for (JsonNode segment : segments) {
            String line = text.next(new TranscriptExport.Segment(
                    segment.path("timestamp").isNumber() ? segment.get("timestamp").doubleValue() : null,
                    segment.path("speaker").isTextual() ? segment.get("speaker").textValue() : null,
                    segment.path("text").asText(""),
                    segment.path("is_final").isBoolean() ? segment.get("is_final").booleanValue() : null));
            if (!line.isEmpty()) {
                String shown = line.substring(0, line.length() - 1);
                int cost = shown.getBytes(StandardCharsets.UTF_8).length + 8;
                if (cost > budget) {
                    if (!lines.isEmpty()) {
                        answer.put("next", position);
                        answer.put("truncated", true);
                        return answer;
                    }
                    // one segment longer than the bound: its line is cut, and the next call goes on after it
                    shown = shown.substring(0, Math.min(shown.length(), budget / 4)) + " [cut]";
                    answer.put("truncated", true);
                }
                budget -= cost;
                lines.add(shown);
            }
            position++;
        }
        if (window.end() < window.count()) {
            answer.put("next", window.end());
        }
        return answer;
    }

    private JsonNode parse(String text) {
        try {
            return mapper.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored segments that are not JSON", e);
        }
    }
}
