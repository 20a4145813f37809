package dev.recordings.db;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A database of schema version 2 (whole transcripts in the recording's row) migrated to chunks when the service
 * starts: every recording answers exactly as version 2 did, and the merge rules work against the migrated segments.
 */
@QuarkusTest
@QuarkusTestResource(value = LegacySchemaDatabase.class, restrictToAnnotatedClass = true)
class MigrationTest {

    private static String key;

    @BeforeEach
    void memberOfTheLegacyProject() {
        if (key != null) {
            return;
        }
        long user = Api.createUser();
        Api.addMember(LegacySchemaDatabase.projectId, user);
        key = Api.createKey(user, List.of("desktop_recording:write"), null);
    }

    private static String recordings() {
        return "/api/projects/" + LegacySchemaDatabase.projectId + "/desktop_recordings/";
    }

    @Test
    void everyRecordingAnswersAsBeforeTheMigration() {
        assertEquals(4, LegacySchemaDatabase.BEFORE.size());
        assertEquals(5_000, LegacySchemaDatabase.BEFORE.get(LegacySchemaDatabase.longRecording).segmentCount());
        for (Map.Entry<UUID, LegacySchemaDatabase.Answer> recording : LegacySchemaDatabase.BEFORE.entrySet()) {
            LegacySchemaDatabase.Answer before = recording.getValue();
            String answer = Api.as(key).get(recordings() + recording.getKey() + "/").then().statusCode(200)
                    .extract().asString();
            // the raw JSON text, byte for byte: same segments, same order, same numbers, same key order
            assertTrue(answer.contains("\"transcript_segments\":" + before.transcriptSegments() + ","),
                    "transcript_segments of " + recording.getKey());
            JsonPath json = JsonPath.from(answer);
            assertEquals(before.transcriptText(), json.getString("transcript_text"));
            assertEquals(before.segmentCount(), json.getList("transcript_segments").size());
            assertTrue(answer.contains("\"participants\":" + before.participants() + ","));
        }
        List<String> listed = Api.as(key).queryParam("limit", 10).get(recordings()).then().statusCode(200)
                .body("count", is(4)).extract().jsonPath().getList("results.id");
        assertEquals(4, listed.size());
    }

    @Test
    void theMergeRulesWorkAgainstMigratedSegments() {
        String recording = LegacySchemaDatabase.longRecording.toString();
        String path = recordings() + recording + "/append_segments/";
        // a retry of segment 2 (chunk 0), a replacement of seg-14 (chunk 0) and of seg-2450 (chunk 49), a new one
        Api.as(key).header("Prefer", "return=minimal").body("{\"segments\": ["
                + "{\"timestamp\": 200, \"speaker\": \"Bob\", \"text\": \"utterance 2\"},"
                + "{\"id\": \"seg-14\", \"timestamp\": 1400, \"text\": \"fourteen, final\"},"
                + "{\"id\": \"seg-2450\", \"timestamp\": 245000, \"text\": \"two thousand four hundred fifty\"},"
                + "{\"timestamp\": 600000, \"text\": \"after the migration\"}]}")
                .post(path).then().statusCode(200)
                .body("dropped", is(1)).body("replaced", is(2)).body("appended", is(1)).body("segment_count", is(5_001));

        JsonPath after = Api.as(key).get(recordings() + recording + "/").then().statusCode(200).extract().jsonPath();
        List<String> texts = after.getList("transcript_segments.text");
        assertEquals(5_001, texts.size());
        assertEquals("fourteen, final", texts.get(14));
        assertEquals("two thousand four hundred fifty", texts.get(2450));
        assertEquals("after the migration", texts.get(5_000));
        assertEquals("final seven", texts.get(7));
        assertEquals(String.join(" ", texts), after.getString("transcript_text"));

        List<String> found = Api.as(key).queryParam("search", "UTTERANCE 47 utterance 48")
                .get(recordings()).then().statusCode(200).extract().jsonPath().getList("results.id");
        // both transcripts have segments 47 and 48, one on each side of a chunk boundary
        assertEquals(Set.of(recording, LegacySchemaDatabase.boundaryRecording.toString()), Set.copyOf(found));
    }
}
