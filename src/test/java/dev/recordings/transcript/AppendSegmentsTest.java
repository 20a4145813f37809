package dev.recordings.transcript;

import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class AppendSegmentsTest {

    private Api.Tenant tenant;
    private String recording;

    @BeforeEach
    void createRecording() {
        tenant = Api.writer();
        recording = tenant.createRecording();
    }

    private ValidatableResponse append(String segments) {
        return tenant.append(recording, segments, false);
    }

    private ValidatableResponse appendMinimal(String segments) {
        return tenant.appendMinimal(recording, segments);
    }

    private JsonPath stored() {
        return tenant.read(recording);
    }

    @Test
    void appendsInOrderAndAnswersTheFullRecording() {
        append("[{\"timestamp\": 0, \"text\": \" Hello \", \"speaker\": \"Ann\", \"confidence\": 0.9, "
                + "\"is_final\": true, \"unknown\": 1}, {\"timestamp\": 1500.5, \"text\": \"world\"}]")
                .statusCode(200)
                .body("id", is(recording))
                .body("transcript_text", is("Hello world"))
                .body("transcript_segments.text", is(List.of("Hello", "world")))
                .body("transcript_segments[0].speaker", is("Ann"))
                .body("transcript_segments[0].confidence", is(0.9f))
                .body("transcript_segments[0].is_final", is(true))
                .body("transcript_segments[0]", not(hasKey("unknown")))
                .body("transcript_segments[0]", not(hasKey("id")))
                .body("transcript_segments[1].speaker", nullValue())
                .body("transcript_segments[1].timestamp", is(1500.5f));
        append("[{\"timestamp\": 2000, \"text\": \"again\"}]")
                .statusCode(200).body("transcript_text", is("Hello world again"));
    }

    @Test
    void aRetriedBatchIsDropped() {
        String batch = "[{\"timestamp\": 1, \"text\": \"one\"}, {\"timestamp\": 2, \"text\": \"two\"}]";
        appendMinimal(batch).statusCode(200).body("appended", is(2)).body("dropped", is(0));
        appendMinimal(batch).statusCode(200).body("appended", is(0)).body("dropped", is(2))
                .body("segment_count", is(2));
        appendMinimal("[{\"timestamp\": 1.0, \"text\": \"one\"}]").body("dropped", is(1));
        assertEquals("one two", stored().getString("transcript_text"));
    }

    @Test
    void sameTimestampWithDifferentTextIsKept() {
        append("[{\"timestamp\": 7, \"text\": \"first\"}, {\"timestamp\": 7, \"text\": \"second\"}]").statusCode(200);
        append("[{\"timestamp\": 7, \"text\": \"third\"}]").statusCode(200)
                .body("transcript_text", is("first second third"));
    }

    @Test
    void aRetryWithinOneBatchIsDroppedToo() {
        appendMinimal("[{\"timestamp\": 3, \"text\": \"x\"}, {\"timestamp\": 3, \"text\": \"x\"}]")
                .body("appended", is(1)).body("dropped", is(1)).body("segment_count", is(1));
    }

    /**
     * A batch with an id takes the append's other statement: retries (of stored segments, of this batch's, of a
     * segment with an id) are judged there exactly as in a batch without.
     */
    @Test
    void retriesAreDroppedAlikeInABatchThatCarriesAnId() {
        String retried = "{\"timestamp\": 1, \"text\": \"one\"}, {\"timestamp\": 5, \"text\": \"five\"}";
        appendMinimal("[" + retried + "]").body("appended", is(2));
        appendMinimal("[" + retried + ", {\"id\": \"s9\", \"timestamp\": 9, \"text\": \"nine\"},"
                + " {\"timestamp\": 9, \"text\": \"nine\"}, {\"timestamp\": 10, \"text\": \"ten\"},"
                + " {\"timestamp\": 10, \"text\": \"ten\"}]")
                .body("appended", is(2)).body("dropped", is(4)).body("replaced", is(0)).body("segment_count", is(4));
        assertEquals("one five nine ten", stored().getString("transcript_text"));
    }

    @Test
    void nullTimestampsAreAlwaysKept() {
        append("[{\"text\": \"same\"}, {\"timestamp\": null, \"text\": \"same\"}]").statusCode(200);
        append("[{\"text\": \"same\"}]").statusCode(200).body("transcript_text", is("same same same"));
    }

    @Test
    void aSegmentWithAKnownIdReplacesItInPlace() {
        append("[{\"id\": \"s1\", \"timestamp\": 1, \"text\": \"interim\", \"is_final\": false}, "
                + "{\"timestamp\": 2, \"text\": \"after\"}]").statusCode(200);
        appendMinimal("[{\"id\": \"s1\", \"timestamp\": 1, \"text\": \"final words\", \"is_final\": true}]")
                .statusCode(200)
                .header("Preference-Applied", "return=minimal")
                .body("appended", is(0)).body("replaced", is(1)).body("dropped", is(0)).body("segment_count", is(2));
        JsonPath stored = stored();
        assertEquals(List.of("final words", "after"), stored.getList("transcript_segments.text"));
        assertEquals(true, stored.getBoolean("transcript_segments[0].is_final"));
        assertEquals("s1", stored.getString("transcript_segments[0].id"));
        assertEquals("final words after", stored.getString("transcript_text"));
        appendMinimal("[{\"id\": \"s1\", \"timestamp\": 1, \"text\": \"final words\", \"is_final\": true}]")
                .body("replaced", is(1)).body("segment_count", is(2));
    }

    @Test
    void aNewIdIsAppendedWhateverItsTimestampAndText() {
        append("[{\"timestamp\": 1, \"text\": \"same\"}]");
        appendMinimal("[{\"id\": \"n\", \"timestamp\": 1, \"text\": \"same\"}]")
                .body("appended", is(1)).body("segment_count", is(2));
        appendMinimal("[{\"timestamp\": 1, \"text\": \"same\"}]").body("dropped", is(1));
    }

    @Test
    void anIdRepeatedInOneBatchKeepsItsFirstPositionAndLastValue() {
        append("[{\"text\": \"a\"}]");
        appendMinimal("[{\"id\": \"k\", \"text\": \"v1\"}, {\"text\": \"b\"}, {\"id\": \"k\", \"text\": \"v2\"}]")
                .body("appended", is(2)).body("replaced", is(1)).body("segment_count", is(3));
        assertEquals("a v2 b", stored().getString("transcript_text"));
    }

    @Test
    void anInvalidSegmentAnywhereRejectsTheWholeBatch() {
        append("[{\"timestamp\": 1, \"text\": \"kept\"}]");
        String before = stored().prettify();
        append("[{\"timestamp\": 2, \"text\": \"ok\"}, {\"timestamp\": 3, \"text\": \"  \"}]")
                .statusCode(400).body("code", is("blank")).body("attr", is("segments__1__text"));
        append("[{\"timestamp\": 2, \"text\": \"ok\"}, \"not an object\"]")
                .statusCode(400).body("code", is("invalid_input")).body("attr", is("segments__1"));
        append("[{\"timestamp\": 2, \"text\": \"ok\", \"confidence\": -0.1}]")
                .statusCode(400).body("code", is("min_value")).body("attr", is("segments__0__confidence"));
        assertEquals(before, stored().prettify());
    }

    @Test
    void batchSizeIsOneToOneThousand() {
        append("[]").statusCode(400).body("code", is("min_length")).body("attr", is("segments"));
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(1001, "{\"text\": \"x\"}")) + "]";
        append(tooMany).statusCode(400).body("code", is("max_length")).body("attr", is("segments"));
        String most = "[" + String.join(",", java.util.Collections.nCopies(1000, "{\"text\": \"x\"}")) + "]";
        appendMinimal(most).statusCode(200).body("appended", is(1000));
        tenant.request().body("{}").post(tenant.recordings() + recording + "/append_segments/")
                .then().statusCode(400).body("code", is("required")).body("attr", is("segments"));
        tenant.request().body(Map.of("segments", "x")).post(tenant.recordings() + recording + "/append_segments/")
                .then().statusCode(400).body("code", is("not_a_list"));
    }

    @Test
    void everyAcceptedAppendMovesUpdatedAt() {
        String first = appendMinimal("[{\"timestamp\": 1, \"text\": \"a\"}]").extract().path("updated_at");
        String second = appendMinimal("[{\"timestamp\": 1, \"text\": \"a\"}]").extract().path("updated_at");
        assertEquals(second, stored().getString("updated_at"));
        assertNotEquals(first, second, "a fully dropped batch is still an accepted write");
    }
}
