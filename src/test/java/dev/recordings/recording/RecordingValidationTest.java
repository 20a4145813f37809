package dev.recordings.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.path.json.JsonPath;

import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every field rule of the contract answers 400 with the rule's code and the field's attr, and changes nothing. */
@QuarkusTest
class RecordingValidationTest {

    private Api.Tenant tenant;
    private String recording;
    private String stored;

    @BeforeEach
    void createRecording() {
        tenant = Api.writer();
        recording = tenant.createRecording("{\"meeting_title\": \"Original\"}");
        stored = tenant.request().get(path()).asString();
    }

    private String path() {
        return tenant.recordings() + recording + "/";
    }

    static Stream<Arguments> invalidPatches() {
        return Stream.of(
                Arguments.of("{\"platform\": \"skype\"}", "invalid_choice", "platform"),
                Arguments.of("{\"platform\": 1}", "invalid_choice", "platform"),
                Arguments.of("{\"platform\": null}", "null", "platform"),
                Arguments.of("{\"status\": \"done\"}", "invalid_choice", "status"),
                Arguments.of("{\"status\": null}", "null", "status"),
                Arguments.of("{\"meeting_title\": \"" + "x".repeat(256) + "\"}", "max_length", "meeting_title"),
                Arguments.of("{\"meeting_title\": 12}", "invalid_input", "meeting_title"),
                Arguments.of("{\"meeting_title\": true}", "invalid_input", "meeting_title"),
                Arguments.of("{\"meeting_title\": {}}", "invalid_input", "meeting_title"),
                Arguments.of("{\"meeting_url\": \"ftp://example.com/x\"}", "invalid_input", "meeting_url"),
                Arguments.of("{\"meeting_url\": \"not a url\"}", "invalid_input", "meeting_url"),
                Arguments.of("{\"meeting_url\": \"https://e.com/" + "x".repeat(190) + "\"}", "max_length",
                        "meeting_url"),
                Arguments.of("{\"video_url\": \"javascript:alert(1)\"}", "invalid_input", "video_url"),
                Arguments.of("{\"duration_seconds\": -1}", "min_value", "duration_seconds"),
                Arguments.of("{\"duration_seconds\": 1.5}", "invalid_input", "duration_seconds"),
                Arguments.of("{\"duration_seconds\": 1.0}", "invalid_input", "duration_seconds"),
                Arguments.of("{\"duration_seconds\": \"12\"}", "invalid_input", "duration_seconds"),
                Arguments.of("{\"duration_seconds\": true}", "invalid_input", "duration_seconds"),
                Arguments.of("{\"duration_seconds\": 2147483648}", "max_value", "duration_seconds"),
                Arguments.of("{\"video_size_bytes\": -5}", "min_value", "video_size_bytes"),
                Arguments.of("{\"video_size_bytes\": 9223372036854775808}", "max_value", "video_size_bytes"),
                Arguments.of("{\"recall_recording_id\": \"nope\"}", "invalid_input", "recall_recording_id"),
                Arguments.of("{\"participants\": \"Ann\"}", "not_a_list", "participants"),
                Arguments.of("{\"participants\": null}", "null", "participants"),
                Arguments.of("{\"participants\": [\"a\", 2]}", "invalid_input", "participants__1"),
                Arguments.of("{\"started_at\": null}", "null", "started_at"),
                Arguments.of("{\"started_at\": \"yesterday\"}", "invalid_input", "started_at"),
                Arguments.of("{\"completed_at\": 1700000000}", "invalid_input", "completed_at"),
                Arguments.of("{\"extracted_tasks\": [{\"description\": \"d\"}]}", "required",
                        "extracted_tasks__0__title"),
                Arguments.of("{\"extracted_tasks\": [{\"title\": \"  \"}]}", "blank", "extracted_tasks__0__title"),
                Arguments.of("{\"extracted_tasks\": [\"task\"]}", "invalid_input", "extracted_tasks__0"),
                Arguments.of("{\"transcript_segments\": [{\"text\": \" \"}]}", "blank",
                        "transcript_segments__0__text"),
                Arguments.of("{\"transcript_segments\": [{\"text\": \"a\"}, {\"speaker\": \"b\"}]}", "required",
                        "transcript_segments__1__text"),
                Arguments.of("{\"transcript_segments\": [{\"text\": \"a\", \"confidence\": 1.5}]}", "max_value",
                        "transcript_segments__0__confidence"),
                Arguments.of("{\"transcript_segments\": [{\"text\": \"a\", \"timestamp\": -1}]}", "min_value",
                        "transcript_segments__0__timestamp"),
                Arguments.of("{\"transcript_segments\": [{\"text\": \"a\", \"timestamp\": \"1\"}]}", "invalid_input",
                        "transcript_segments__0__timestamp"),
                Arguments.of("{\"transcript_segments\": [{\"text\": \"a\", \"is_final\": \"yes\"}]}",
                        "invalid_input", "transcript_segments__0__is_final"),
                Arguments.of("{\"transcript_segments\": [{\"text\": 5}]}", "invalid_input",
                        "transcript_segments__0__text"),
                Arguments.of("{\"transcript_segments\": [{\"text\": \"a\", \"id\": \"" + "i".repeat(129) + "\"}]}",
                        "max_length", "transcript_segments__0__id"),
                Arguments.of("[]", "invalid_input", null),
                Arguments.of("\"text\"", "invalid_input", null));
    }

    @ParameterizedTest
    @MethodSource("invalidPatches")
    void invalidFieldIs400WithItsCodeAndAttrAndNothingChanges(String body, String code, String attr) {
        tenant.request().body(body).patch(path())
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("type", is("validation_error"))
                .body("code", is(code))
                .body("attr", attr == null ? nullValue() : is(attr));
        tenant.request().get(path()).then().body(is(stored));
    }

    @Test
    void createChecksTheBodyToo() {
        tenant.request().body("{\"platform\": \"fax\"}").post(tenant.recordings())
                .then().statusCode(400).body("code", is("invalid_choice")).body("attr", is("platform"));
        tenant.request().body("{\"participants\": [1]}").post(tenant.recordings())
                .then().statusCode(400).body("attr", is("participants__0"));
        tenant.request().get(tenant.recordings()).then().body("count", is(1));
    }

    @Test
    void malformedJsonIs400ParseError() {
        tenant.request().body("{\"notes\": ").patch(path())
                .then().statusCode(400).body("type", is("invalid_request")).body("code", is("parse_error"));
        tenant.request().body("{} {}").patch(path()).then().statusCode(400).body("code", is("parse_error"));
        tenant.request().get(path()).then().body(is(stored));
    }

    @Test
    void anotherMediaTypeIs415() {
        tenant.request().contentType("application/x-www-form-urlencoded").body("platform=zoom").post(tenant.recordings())
                .then().statusCode(415).body("code", is("unsupported_media_type"));
        tenant.request().contentType("text/plain").body("{}").patch(path()).then().statusCode(415);
        tenant.request().contentType("application/json; charset=utf-8").body("{}").patch(path())
                .then().statusCode(200);
    }

    @Test
    void bodyOverTenMebibytesIs413() {
        String huge = "{\"notes\": \"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        tenant.request().body(huge).patch(path())
                .then().statusCode(413).contentType(ContentType.JSON)
                .body("type", is("invalid_request")).body("code", is("payload_too_large"));
        tenant.request().get(path()).then().body(is(stored));
    }

    @Test
    void anOversizedBodyOfAnotherMediaTypeIs415TheMediaTypeComingFirst() {
        String huge = "x".repeat(10 * 1024 * 1024 + 1);
        tenant.request().contentType("text/plain").body(huge).patch(path())
                .then().statusCode(415).contentType(ContentType.JSON).body("code", is("unsupported_media_type"));
        tenant.request().get(path()).then().body(is(stored));
    }

    @Test
    void freeTextTakesAnyLengthTheBodyLimitAllows() {
        String notes = "n".repeat(9 * 1024 * 1024);
        tenant.request().body("{\"notes\": \"" + notes + "\"}").patch(path()).then().statusCode(200);
        tenant.request().body("{\"summary\": \"" + "s".repeat(2_000_000) + "\"}").patch(path()).then().statusCode(200);
        JsonPath after = tenant.request().get(path()).then().statusCode(200).extract().jsonPath();
        assertEquals(notes.length(), after.getString("notes").length());
        assertEquals(2_000_000, after.getString("summary").length());
    }
}
