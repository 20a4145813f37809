package dev.recordings.transcript.stream;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.EventStream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The live transcript, every rule through HTTP: events, start positions, auth and errors before a stream. */
@QuarkusTest
class LiveTranscriptTest {

    private static final Duration SOON = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    private Api.Tenant tenant;
    private String recording;

    @BeforeEach
    void recording() {
        tenant = Api.writer();
        recording = tenant.createRecording();
    }

    private String streamUrl(String query) {
        return base + tenant.recordings().substring(1) + recording + "/transcript/stream/" + query;
    }

    private EventStream watch(String query, Map<String, String> headers) throws Exception {
        EventStream stream = EventStream.open(streamUrl(query), tenant.key(), headers);
        assertEquals(200, stream.status, stream.body);
        assertTrue(stream.contentType.startsWith("text/event-stream"), stream.contentType);
        return stream;
    }

    private EventStream watch(String query) throws Exception {
        return watch(query, Map.of());
    }

    private void append(String segments) {
        tenant.request().header("Prefer", "return=minimal").body("{\"segments\": " + segments + "}")
                .post(tenant.recordings() + recording + "/append_segments/").then().statusCode(200);
    }

    private static String texts(EventStream.Event event) {
        return String.join(",", event.json().<String>getList("segments.text"));
    }

    @Test
    void theCatchUpComesFirstThenEachAppendAsItCommits() throws Exception {
        append("[{\"timestamp\": 1, \"text\": \"a\"}, {\"timestamp\": 2, \"text\": \"b\"}, {\"text\": \"c\"}]");
        try (EventStream stream = watch("?after=1")) {
            EventStream.Event catchUp = stream.next();
            assertEquals("segments", catchUp.event());
            assertEquals("3", catchUp.id());
            assertEquals(1, catchUp.json().getInt("start"));
            assertEquals("b,c", texts(catchUp));

            append("[{\"timestamp\": 4, \"text\": \"d\", \"speaker\": \"Ann\"}, {\"text\": \"e\"}]");
            EventStream.Event live = stream.next();
            assertEquals("segments", live.event());
            assertEquals("5", live.id());
            assertEquals(3, live.json().getInt("start"));
            assertEquals("d,e", texts(live));
            assertEquals("Ann", live.json().getString("segments[0].speaker"));
            assertEquals(4, live.json().getInt("segments[0].timestamp"));

            // a retry changes nothing and sends nothing; the next real append comes straight after it
            append("[{\"timestamp\": 4, \"text\": \"d\", \"speaker\": \"Ann\"}]");
            append("[{\"text\": \"f\"}]");
            EventStream.Event next = stream.next();
            assertEquals("6", next.id());
            assertEquals(5, next.json().getInt("start"));
            assertEquals("f", texts(next));
        }
    }

    @Test
    void lastEventIdWinsOverAfterAndTheDefaultIsTheWholeTranscript() throws Exception {
        append("[{\"text\": \"a\"}, {\"text\": \"b\"}, {\"text\": \"c\"}, {\"text\": \"d\"}]");
        try (EventStream stream = watch("?after=0", Map.of("Last-Event-ID", "3"))) {
            EventStream.Event catchUp = stream.next();
            assertEquals(3, catchUp.json().getInt("start"));
            assertEquals("d", texts(catchUp));
        }
        try (EventStream stream = watch("")) {
            EventStream.Event catchUp = stream.next();
            assertEquals(0, catchUp.json().getInt("start"));
            assertEquals("a,b,c,d", texts(catchUp));
            assertEquals("4", catchUp.id());
        }
    }

    @Test
    void aStreamFromTheEndOrBeyondItStartsEmptyAtTheCount() throws Exception {
        append("[{\"text\": \"a\"}, {\"text\": \"b\"}]");
        try (EventStream stream = watch("?after=50")) {
            EventStream.Event catchUp = stream.next();
            assertEquals("2", catchUp.id());
            assertEquals(2, catchUp.json().getInt("start"));
            assertEquals(List.of(), catchUp.json().getList("segments"));
            append("[{\"text\": \"c\"}]");
            EventStream.Event live = stream.next();
            assertEquals(2, live.json().getInt("start"));
            assertEquals("c", texts(live));
        }
    }

    @Test
    void aLongCatchUpIsOneEventInOrder() throws Exception {
        StringBuilder batch = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            batch.setLength(0);
            batch.append('[');
            for (int index = 0; index < 1000; index++) {
                batch.append(index == 0 ? "" : ",").append("{\"text\": \"s").append(round * 1000 + index)
                        .append("\"}");
            }
            append(batch.append(']').toString());
        }
        try (EventStream stream = watch("?after=10")) {
            EventStream.Event catchUp = stream.next();
            assertEquals("3000", catchUp.id());
            List<String> texts = catchUp.json().getList("segments.text");
            assertEquals(2990, texts.size());
            for (int index = 0; index < texts.size(); index++) {
                assertEquals("s" + (index + 10), texts.get(index));
            }
        }
    }

    @Test
    void aSegmentReplacedInPlaceIsAReplacedEvent() throws Exception {
        append("[{\"id\": \"u1\", \"text\": \"draft\", \"is_final\": false}, {\"text\": \"other\"}]");
        try (EventStream stream = watch("")) {
            stream.next();
            append("[{\"id\": \"u1\", \"text\": \"final words\", \"is_final\": true}, {\"text\": \"new\"}]");
            EventStream.Event appended = stream.next();
            assertEquals("segments", appended.event());
            assertEquals("new", texts(appended));
            EventStream.Event replaced = stream.next();
            assertEquals("replaced", replaced.event());
            assertEquals("3", replaced.id());
            assertEquals(0, replaced.json().getInt("index"));
            assertEquals("final words", replaced.json().getString("segment.text"));
            assertEquals(true, replaced.json().getBoolean("segment.is_final"));
        }
    }

    @Test
    void renamesStatusChangesAndAReplacedTranscriptAreSent() throws Exception {
        append("[{\"speaker\": \"Bob\", \"text\": \"hi\"}, {\"speaker\": \"Ann\", \"text\": \"hello\"}]");
        try (EventStream stream = watch("")) {
            stream.next();
            tenant.request().body("{\"from\": \"Bob\", \"to\": \"Robert\"}")
                    .post(tenant.recordings() + recording + "/speakers/").then().statusCode(200);
            EventStream.Event renamed = stream.next();
            assertEquals("speaker_renamed", renamed.event());
            assertNull(renamed.id());
            JsonPath rename = renamed.json();
            assertEquals("Bob", rename.getString("from"));
            assertEquals("Robert", rename.getString("to"));
            assertEquals(1, rename.getInt("renamed"));

            tenant.request().body("{\"status\": \"uploading\"}").patch(tenant.recordings() + recording + "/")
                    .then().statusCode(200);
            EventStream.Event status = stream.next();
            assertEquals("status", status.event());
            assertEquals("uploading", status.json().getString("status"));

            tenant.request().body("{\"platform\": \"zoom\", \"status\": \"processing\", \"transcript_segments\": "
                    + "[{\"text\": \"only this\"}]}").put(tenant.recordings() + recording + "/")
                    .then().statusCode(200);
            EventStream.Event first = stream.next();
            EventStream.Event second = stream.next();
            EventStream.Event replaced = first.event().equals("segments") ? first : second;
            EventStream.Event moved = first.event().equals("segments") ? second : first;
            assertEquals("processing", moved.json().getString("status"));
            assertEquals(0, replaced.json().getInt("start"));
            assertEquals("1", replaced.id());
            assertEquals("only this", texts(replaced));

            // a PATCH that leaves the status as it is sends no status event
            tenant.request().body("{\"notes\": \"n\"}").patch(tenant.recordings() + recording + "/")
                    .then().statusCode(200);
            append("[{\"text\": \"after\"}]");
            EventStream.Event after = stream.next();
            assertEquals("segments", after.event());
            assertEquals(1, after.json().getInt("start"));
        }
    }

    @Test
    void aDeletedRecordingSendsDeletedAndTheStreamEnds() throws Exception {
        try (EventStream stream = watch("")) {
            stream.next();
            tenant.request().delete(tenant.recordings() + recording + "/").then().statusCode(204);
            EventStream.Event deleted = stream.next();
            assertEquals("deleted", deleted.event());
            assertEquals(recording, deleted.json().getString("id"));
            assertTrue(stream.awaitEnd(SOON), "the server ends the stream");
            assertTrue(stream.endedCleanly());
        }
    }

    @Test
    void everyStreamOfARecordingSeesEachAppendAndTheAppendWritesNothingForThem() throws Exception {
        try (EventStream first = watch(""); EventStream second = watch("")) {
            first.next();
            second.next();
            append("[{\"text\": \"seen by both\"}]");
            assertEquals("seen by both", texts(first.next()));
            assertEquals("seen by both", texts(second.next()));
        }
        assertEquals(0, changeLogRows(), "a plain append is seen in the count; it logs nothing for viewers");
    }

    /**
     * A replica that could not poll for longer than the change log keeps its rows finds a number missing: what its
     * streams sent may be stale anywhere, so they send the whole transcript again, and the status as it is.
     */
    @Test
    void aStreamThatMissedLoggedChangesSendsTheWholeTranscriptAgain() throws Exception {
        append("[{\"text\": \"a\"}, {\"text\": \"b\"}]");
        try (EventStream stream = watch("?after=1")) {
            assertEquals("b", texts(stream.next()));
            pool.preparedQuery("UPDATE desktop_recordings SET change_seq = change_seq + 2 WHERE id = $1")
                    .execute(Tuple.of(UUID.fromString(recording))).await().indefinitely();
            EventStream.Event again = stream.next();
            assertEquals("segments", again.event());
            assertEquals(0, again.json().getInt("start"));
            assertEquals("a,b", texts(again));
            assertEquals("2", again.id());
            EventStream.Event status = stream.next();
            assertEquals("status", status.event());
            assertEquals(tenant.request().get(tenant.recordings() + recording + "/").then().extract()
                    .path("status"), status.json().getString("status"));
        }
    }

    private long changeLogRows() {
        return pool.preparedQuery("SELECT count(*) FROM transcript_change_log WHERE recording_id = $1")
                .execute(Tuple.of(UUID.fromString(recording))).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aRecordingRemovedByRetentionSendsDeleted() throws Exception {
        String old = tenant.createRecording("{\"started_at\": \"2020-01-01T00:00:00Z\"}");
        try (EventStream stream = EventStream.open(base + tenant.recordings().substring(1) + old
                + "/transcript/stream/", tenant.key())) {
            assertEquals(200, stream.status, stream.body);
            stream.next();
            Api.admin().body("{\"retention_days\": 30}").patch("/api/admin/projects/" + tenant.projectId())
                    .then().statusCode(200);
            Api.admin().post("/api/admin/retention/run").then().statusCode(200);
            EventStream.Event deleted = stream.next();
            assertEquals("deleted", deleted.event());
            assertEquals(old, deleted.json().getString("id"));
            assertTrue(stream.awaitEnd(SOON));
        }
    }

    @Test
    void keepAliveCommentsComeWhileNothingHappens() throws Exception {
        try (EventStream stream = watch("")) {
            stream.next();
            // the tests send them every second (recordings.stream.keep-alive); the default is 15 s
            assertEquals("keep-alive", stream.nextComment(SOON));
        }
    }

    @Test
    void aRevokedKeyOrALeftProjectEndsTheStream() throws Exception {
        JsonPath created = Api.admin().body(Map.of("label", "watcher", "scopes", List.of("desktop_recording:read")))
                .post("/api/admin/users/" + tenant.userId() + "/personal_api_keys").then().statusCode(201)
                .extract().jsonPath();
        String keyId = created.getString("id");
        try (EventStream stream = EventStream.open(streamUrl(""), created.getString("value"))) {
            assertEquals(200, stream.status);
            stream.next();
            Api.admin().delete("/api/admin/personal_api_keys/" + keyId).then().statusCode(204);
            assertTrue(stream.awaitEnd(SOON), "a revoked key's stream ends");
        }
        Api.Tenant member = Api.writer();
        String watched = member.createRecording();
        try (EventStream stream = EventStream.open(base + member.recordings().substring(1) + watched
                + "/transcript/stream/", member.key())) {
            assertEquals(200, stream.status);
            stream.next();
            Api.admin().delete("/api/admin/projects/" + member.projectId() + "/members/" + member.userId())
                    .then().statusCode(204);
            assertTrue(stream.awaitEnd(SOON), "the stream of a user who left the project ends");
        }
    }

    @Test
    void failuresBeforeTheStreamAreJsonErrors() throws Exception {
        EventStream anonymous = EventStream.open(streamUrl(""), null);
        assertEquals(401, anonymous.status);
        assertError(anonymous, "not_authenticated", null);

        Api.Tenant other = Api.writer();
        String scopedKey = Api.createKey(tenant.userId(), List.of("desktop_recording:read"),
                List.of(other.projectId()));
        EventStream forbidden = EventStream.open(streamUrl(""), scopedKey);
        assertEquals(403, forbidden.status);
        assertError(forbidden, "permission_denied", null);

        EventStream elsewhere = EventStream.open(streamUrl(""), other.key());
        assertEquals(404, elsewhere.status);
        assertError(elsewhere, "not_found", null);

        EventStream unknown = EventStream.open(base + tenant.recordings().substring(1)
                + "0193b6c4-1111-7000-8000-000000000000/transcript/stream/?after=-1", tenant.key());
        assertEquals(404, unknown.status, "the recording is checked before the position");
        assertError(unknown, "not_found", null);

        for (String after : List.of("-1", "abc", "1.5")) {
            EventStream invalid = EventStream.open(streamUrl("?after=" + after), tenant.key());
            assertEquals(400, invalid.status, after);
            assertError(invalid, null, "after");
        }
        EventStream badHeader = EventStream.open(streamUrl(""), tenant.key(), Map.of("Last-Event-ID", "x"));
        assertEquals(400, badHeader.status);
        assertError(badHeader, "invalid_input", "Last-Event-ID");
    }

    private static void assertError(EventStream answer, String code, String attr) {
        assertTrue(answer.contentType.startsWith("application/json"), answer.contentType);
        JsonPath error = JsonPath.from(answer.body);
        assertNotNull(error.getString("type"), answer.body);
        if (code != null) {
            assertEquals(code, error.getString("code"), answer.body);
        }
        if (attr != null) {
            assertEquals(attr, error.getString("attr"), answer.body);
        }
    }

    @Test
    void theStreamIsDocumentedAsServerSentEvents() {
        Api.admin().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/projects/{project_id}/desktop_recordings/{id}/transcript/stream'.get"
                        + ".responses.'200'.content.'text/event-stream'.schema.'$ref'",
                        is("#/components/schemas/LiveTranscriptEvent"));
    }
}
