package dev.recordings.transcript;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** GET …/desktop_recordings/search/: segment-level hits across a project's recordings. */
@QuarkusTest
class SegmentSearchTest {

    private Api.Tenant tenant;
    private String older;
    private String newer;

    @BeforeEach
    void twoMeetings() {
        tenant = Api.writer();
        // 40 segments each: two full chunks (through the trigram index) and an open one (probed directly)
        older = meeting("2026-02-01T09:00:00Z", "zoom", 5, 35);
        newer = meeting("2026-02-02T09:00:00Z", "teams", 20);
        // another project's recording says it too, and is never found
        Api.Tenant other = Api.writer();
        String theirs = other.createRecording();
        other.request().header("Prefer", "return=minimal")
                .body("{\"segments\": [{\"timestamp\": 1, \"text\": \"the Budget review\"}]}")
                .post(other.recordings() + theirs + "/append_segments/").then().statusCode(200);
    }

    /** A recording of 40 segments, where the positions given say "the Budget review" (by Bob) and the rest not. */
    private String meeting(String startedAt, String platform, int... budgetAt) {
        String id = tenant.createRecording("{\"started_at\": \"" + startedAt + "\", \"platform\": \"" + platform
                + "\", \"meeting_title\": \"Meeting " + startedAt.substring(0, 10) + "\"}");
        List<Integer> budget = IntStream.of(budgetAt).boxed().toList();
        String segments = IntStream.range(0, 40).mapToObj(i -> budget.contains(i)
                ? "{\"timestamp\": " + i * 1000 + ", \"speaker\": \"Bob\", \"text\": \"the Budget review\", "
                        + "\"is_final\": true}"
                : "{\"timestamp\": " + i * 1000 + ", \"speaker\": \"Ann\", \"text\": \"small talk " + i + " budget\"}")
                .collect(Collectors.joining(",", "{\"segments\": [", "]}"));
        tenant.request().header("Prefer", "return=minimal").body(segments)
                .post(tenant.recordings() + id + "/append_segments/").then().statusCode(200);
        return id;
    }

    private RequestSpecification search(String q) {
        return tenant.request().queryParam("q", q);
    }

    private JsonPath found(RequestSpecification request) {
        return request.get(tenant.recordings() + "search/").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void hitsAreSegmentsInTheListsOrderThenByPosition() {
        JsonPath page = found(search("BUDGET REVIEW"));
        assertEquals(3, page.getInt("count"));
        assertEquals(List.of(newer, older, older), page.getList("results.recording_id"));
        assertEquals(List.of(20, 5, 35), page.getList("results.index"));
        assertEquals("Meeting 2026-02-02", page.getString("results[0].meeting_title"));
        assertEquals("2026-02-02T09:00:00.000000Z", page.getString("results[0].started_at"));
        assertEquals(20000, page.getInt("results[0].timestamp"));
        assertEquals("Bob", page.getString("results[0].speaker"));
        assertEquals("the Budget review", page.getString("results[0].text"));
        assertEquals(true, page.getBoolean("results[0].is_final"));
    }

    @Test
    void aPhraseAcrossTwoSegmentsIsNotASegmentHit() {
        // "budget" ends segment 0 and "small talk" starts segment 1 of the newer meeting: in the text, not in one segment
        assertEquals(0, found(search("budget small talk")).getInt("count"));
        assertEquals(80, found(search("budget")).getInt("count"));
    }

    @Test
    void filtersNarrowTheHits() {
        assertEquals(List.of(older, older), found(search("budget review").queryParam("recording_id", older))
                .getList("results.recording_id"));
        assertEquals(2, found(search("budget review").queryParam("platform", "zoom")).getInt("count"));
        assertEquals(0, found(search("budget review").queryParam("status", "ready")).getInt("count"));
        assertEquals(77, found(search("budget").queryParam("speaker", "Ann")).getInt("count"));
        assertEquals(0, found(search("budget").queryParam("speaker", "ann")).getInt("count"));
    }

    @Test
    void pagesLikeTheList() {
        tenant.request().queryParam("q", "budget").queryParam("limit", 10).queryParam("offset", 10)
                .get(tenant.recordings() + "search/").then().statusCode(200)
                .body("count", is(80)).body("results.size()", is(10))
                .body("next", endsWith("/search?q=budget&limit=10&offset=20"))
                .body("previous", endsWith("/search?q=budget&limit=10"));
        tenant.request().queryParam("q", "budget").get(tenant.recordings() + "search/").then().statusCode(200)
                .body("results.size()", is(20)).body("previous", nullValue());
        tenant.request().queryParam("q", "budget").queryParam("limit", 1000).get(tenant.recordings() + "search/")
                .then().statusCode(200).body("results.size()", is(80));
        tenant.request().queryParam("q", "budget").queryParam("offset", 500).get(tenant.recordings() + "search/")
                .then().statusCode(200).body("count", is(80)).body("results.size()", is(0));
    }

    @Test
    void theQueryIsALiteralSubstring() {
        assertEquals(0, found(search("bud%et")).getInt("count"));
        assertEquals(0, found(search("b_dget")).getInt("count"));
    }

    @Test
    void malformedParametersAre400() {
        String path = tenant.recordings() + "search/";
        tenant.request().get(path).then().statusCode(400).body("code", is("required")).body("attr", is("q"));
        search("  ab ").get(path).then().statusCode(400).body("code", is("min_length")).body("attr", is("q"));
        search("x".repeat(201)).get(path).then().statusCode(400).body("code", is("max_length"))
                .body("attr", is("q"));
        search("budget").queryParam("recording_id", "nope").get(path).then().statusCode(400)
                .body("attr", is("recording_id"));
        search("budget").queryParam("platform", "fax").get(path).then().statusCode(400)
                .body("code", is("invalid_choice")).body("attr", is("platform"));
        search("budget").queryParam("limit", "0").get(path).then().statusCode(400).body("attr", is("limit"));
        io.restassured.RestAssured.given().queryParam("q", "budget").get(path).then().statusCode(401);
    }
}
