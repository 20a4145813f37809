package dev.recordings.transcript;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** GET …/{id}/transcript/: the four formats through HTTP, their headers, and the error paths. */
@QuarkusTest
class TranscriptExportEndpointTest {

    private Api.Tenant tenant;
    private String recording;

    @BeforeEach
    void recordingWithSegments() {
        tenant = Api.writer();
        recording = tenant.createRecording();
        tenant.request().header("Prefer", "return=minimal").body("""
                {"segments": [
                  {"timestamp": 1000, "speaker": "Ann", "text": "Hello <all> & welcome", "is_final": true},
                  {"timestamp": 2500, "speaker": "Bob", "text": "still typing", "is_final": false},
                  {"timestamp": 4000, "speaker": null, "text": "Nobody said this"},
                  {"timestamp": null, "speaker": "Ann", "text": "untimed"}
                ]}""").post(path("append_segments")).then().statusCode(200);
    }

    private String path(String tail) {
        return tenant.recordings() + recording + "/" + tail + "/";
    }

    @Test
    void jsonIsEveryStoredSegmentInOrder() {
        JsonPath export = tenant.request().get(path("transcript")).then().statusCode(200)
                .contentType(startsWith("application/json")).extract().jsonPath();
        assertEquals(recording, export.getString("id"));
        assertEquals(4, export.getInt("segment_count"));
        assertEquals(List.of("Hello <all> & welcome", "still typing", "Nobody said this", "untimed"),
                export.getList("segments.text"));
        JsonPath stored = tenant.request().get(tenant.recordings() + recording + "/").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(stored.getList("transcript_segments"), export.getList("segments"));
    }

    @Test
    void textIsAnAttachmentWithoutInterimSegments() {
        String text = tenant.request().queryParam("format", "txt").get(path("transcript")).then().statusCode(200)
                .contentType(is("text/plain; charset=utf-8"))
                .header("Content-Disposition", is("attachment; filename=\"" + recording + ".txt\""))
                .extract().asString();
        assertEquals("""
                [00:00:01] Ann: Hello <all> & welcome
                [00:00:04] Nobody said this
                Ann: untimed
                """, text);
    }

    @Test
    void subRipAndWebVttHaveOneCuePerTimedSegment() {
        String srt = tenant.request().queryParam("format", "srt").get(path("transcript")).then().statusCode(200)
                .contentType(is("application/x-subrip; charset=utf-8"))
                .header("Content-Disposition", is("attachment; filename=\"" + recording + ".srt\""))
                .extract().asString();
        assertEquals("""
                1
                00:00:01,000 --> 00:00:04,000
                Ann: Hello <all> & welcome

                2
                00:00:04,000 --> 00:00:07,000
                Nobody said this
                """, srt);
        String vtt = tenant.request().queryParam("format", "vtt").get(path("transcript")).then().statusCode(200)
                .contentType(is("text/vtt; charset=utf-8")).extract().asString();
        assertEquals("""
                WEBVTT

                00:00:01.000 --> 00:00:04.000
                <v Ann>Hello &lt;all&gt; &amp; welcome

                00:00:04.000 --> 00:00:07.000
                Nobody said this
                """, vtt);
    }

    @Test
    void aLongTranscriptIsExportedWhole() {
        for (int from = 0; from < 5_000; from += 1_000) {
            int start = from;
            String batch = IntStream.range(start, start + 1_000)
                    .mapToObj(i -> "{\"timestamp\": " + (10_000 + i * 1_000L) + ", \"text\": \"line " + i + "\"}")
                    .collect(Collectors.joining(",", "{\"segments\": [", "]}"));
            tenant.request().header("Prefer", "return=minimal").body(batch).post(path("append_segments")).then()
                    .statusCode(200);
        }
        assertEquals(5_004, tenant.request().get(path("transcript")).then().statusCode(200).extract().jsonPath()
                .getList("segments").size());
        String[] lines = tenant.request().queryParam("format", "txt").get(path("transcript")).then()
                .statusCode(200).extract().asString().split("\n");
        assertEquals(5_003, lines.length);
        assertEquals("[01:23:29] line 4999", lines[5_002]);
    }

    @Test
    void anUnknownFormatIs400ButAnUnknownRecordingIs404First() {
        tenant.request().queryParam("format", "pdf").get(path("transcript")).then().statusCode(400)
                .body("type", is("validation_error")).body("code", is("invalid_choice")).body("attr", is("format"));
        tenant.request().queryParam("format", "pdf")
                .get(tenant.recordings() + "01900000-0000-7000-8000-000000000000/transcript/").then().statusCode(404)
                .body("code", is("not_found"));
        tenant.request().get(tenant.recordings() + "01900000-0000-7000-8000-000000000000/transcript/").then()
                .statusCode(404);
    }

    @Test
    void anotherProjectsRecordingIs404AndNoKeyIs401() {
        Api.Tenant reader = Api.tenant("desktop_recording:read");
        String other = Api.writer().createRecording();
        reader.request().get(reader.recordings() + other + "/transcript/").then().statusCode(404);
        io.restassured.RestAssured.given().get(path("transcript")).then().statusCode(401)
                .body("type", containsString("authentication"));
    }
}
