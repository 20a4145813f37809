package dev.recordings.recording;

import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class RecordingListTest {

    @Test
    void threePagesWithTheFilterKeptInAbsoluteLinks() {
        Api.Tenant tenant = Api.writer();
        List<String> zoom = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            zoom.add(tenant.createRecording("{\"platform\": \"zoom\", \"started_at\": \"2026-01-01T00:00:0" + i + "Z\"}"));
            tenant.createRecording("{\"platform\": \"teams\"}");
        }

        JsonPath first = tenant.request().get(tenant.recordings() + "?platform=zoom&limit=3").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(7, first.getInt("count"));
        assertNull(first.getString("previous"));
        assertEquals(List.of(zoom.get(6), zoom.get(5), zoom.get(4)), first.getList("results.id"));
        URI next = URI.create(first.getString("next"));
        assertTrue(next.isAbsolute());
        assertTrue(next.getQuery().contains("platform=zoom"), next.toString());
        assertTrue(next.getQuery().contains("limit=3"), next.toString());
        assertTrue(next.getQuery().contains("offset=3"), next.toString());

        JsonPath second = tenant.request().get(next.getRawPath() + "?" + next.getRawQuery()).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(zoom.get(3), zoom.get(2), zoom.get(1)), second.getList("results.id"));
        URI previous = URI.create(second.getString("previous"));
        assertTrue(previous.getQuery().contains("platform=zoom"));
        assertTrue(!previous.getQuery().contains("offset"), "the first page has no offset");

        URI third = URI.create(second.getString("next"));
        JsonPath last = tenant.request().get(third.getRawPath() + "?" + third.getRawQuery()).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(zoom.get(0)), last.getList("results.id"));
        assertNull(last.getString("next"));
        assertTrue(last.getString("previous").contains("offset=3"));
    }

    @Test
    void equalStartTimesAreOrderedByIdDescendingSoPagesNeverOverlap() {
        Api.Tenant tenant = Api.writer();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(tenant.createRecording("{\"started_at\": \"2026-05-05T12:00:00Z\"}"));
        }
        ids.sort(Comparator.reverseOrder());
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 6; offset += 2) {
            paged.addAll(tenant.request().get(tenant.recordings() + "?limit=2&offset=" + offset)
                    .then().statusCode(200).extract().jsonPath().getList("results.id"));
        }
        assertEquals(ids, paged);
    }

    @Test
    void filtersByCreatorStatusAndTranscriptText() {
        long project = Api.createProject();
        long ann = Api.createUser();
        long bob = Api.createUser();
        Api.addMember(project, ann);
        Api.addMember(project, bob);
        String annKey = Api.createKey(ann, List.of("*"), null);
        String bobKey = Api.createKey(bob, List.of("*"), null);
        String base = "/api/projects/" + project + "/desktop_recordings/";
        String annRecording = Api.as(annKey).body("{}").post(base).then().extract().path("id");
        String bobRecording = Api.as(bobKey).body("{}").post(base).then().extract().path("id");
        Api.as(bobKey).body("{\"status\": \"ready\"}").patch(base + bobRecording + "/").then().statusCode(200);
        Api.as(annKey).body("{\"segments\": [{\"text\": \"Quarterly ROADMAP review\"}]}")
                .post(base + annRecording + "/append_segments/").then().statusCode(200);

        Api.as(annKey).get(base).then().body("count", is(2));
        Api.as(annKey).get(base + "?user_id=" + bob).then().body("count", is(1)).body("results[0].id", is(bobRecording));
        Api.as(annKey).get(base + "?status=ready").then().body("count", is(1)).body("results[0].id", is(bobRecording));
        Api.as(annKey).get(base + "?search=admap rev").then().body("count", is(1))
                .body("results[0].id", is(annRecording));
        Api.as(annKey).get(base + "?search=%25").then().body("count", is(0));
        Api.as(bobKey).get(base + "?search=roadmap&status=ready").then().body("count", is(0));
    }

    @Test
    void limitAboveTheMaximumIsCappedAndTheLinksSayTheLimitUsed() {
        Api.Tenant tenant = Api.writer();
        tenant.createRecording();
        tenant.createRecording();
        tenant.request().get(tenant.recordings() + "?limit=5000&offset=1").then().statusCode(200)
                .body("count", is(2))
                .body("next", nullValue())
                .body("previous", org.hamcrest.Matchers.containsString("limit=1000"));
    }

    @Test
    void malformedQueryParametersAre400() {
        Api.Tenant tenant = Api.writer();
        String[][] cases = {
                { "limit=0", "min_value", "limit" }, { "limit=abc", "invalid_input", "limit" },
                { "limit=1.5", "invalid_input", "limit" }, { "offset=-1", "min_value", "offset" },
                { "offset=x", "invalid_input", "offset" }, { "user_id=me", "invalid_input", "user_id" },
                { "platform=fax", "invalid_choice", "platform" }, { "status=done", "invalid_choice", "status" } };
        for (String[] c : cases) {
            tenant.request().get(tenant.recordings() + "?" + c[0]).then().statusCode(400)
                    .body("type", is("validation_error")).body("code", is(c[1])).body("attr", is(c[2]));
        }
    }
}
