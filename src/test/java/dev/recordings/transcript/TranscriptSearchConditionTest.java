package dev.recordings.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.mutiny.sqlclient.Tuple;

/** The list's search condition as SQL: what is bound, and which way each length of search is looked up. */
class TranscriptSearchConditionTest {

    @Test
    void theSearchIsTakenLiterallyNotAsAPattern() {
        Tuple values = Tuple.of(1L);
        TranscriptStore.contains("r", "50%_off\\now", values);
        assertEquals(2, values.size());
        assertEquals("50\\%\\_off\\\\now", values.getString(1));
    }

    @Test
    void aSearchOfUpToOneHundredCharactersIsAnsweredByTheIndexAlone() {
        Tuple values = Tuple.of(1L);
        String condition = TranscriptStore.contains("r", "x".repeat(100), values);
        assertEquals(2, values.size());
        assertTrue(condition.contains("jsonb_array_length(c.segments) = transcript_chunk_size()"), condition);
        assertFalse(condition.contains("strpos"), condition);
    }

    @Test
    void aLongerSearchIsLookedUpByItsStartThenCheckedOnTheWholeText() {
        Tuple values = Tuple.of(1L);
        // 101 characters, the last one outside the Basic Multilingual Plane (two Java chars, one in PostgreSQL)
        String search = "y".repeat(100) + "\uD83D\uDE00";
        String condition = TranscriptStore.contains("r", search, values);
        assertEquals(3, values.size());
        assertEquals("y".repeat(100), values.getString(1));
        assertEquals(search, values.getString(2));
        assertTrue(condition.contains("strpos(lower("), condition);
    }

    @Test
    void oneHundredCodePointsAreNotTooLongEvenWhenJavaCountsMore() {
        Tuple values = Tuple.of(1L);
        String search = "\uD83D\uDE00".repeat(100);
        String condition = TranscriptStore.contains("r", search, values);
        assertEquals(2, values.size());
        assertFalse(condition.contains("strpos"), condition);
    }

    @Test
    void aSearchTooShortForTrigramsReadsTheRecordingsChunks() {
        Tuple values = Tuple.of(1L);
        String condition = TranscriptStore.contains("r", "ab", values);
        assertFalse(condition.contains("transcript_chunk_size()"), condition);
        assertTrue(condition.startsWith("(SELECT true FROM transcript_chunks c WHERE c.recording_id = r.id"),
                condition);
    }
}
