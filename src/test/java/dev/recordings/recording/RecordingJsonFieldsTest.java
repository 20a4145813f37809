package dev.recordings.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import dev.recordings.recording.Recording;

/**
 * The answer's declared fields against the entity, whose annotations make the API document's schema: a field added
 * to one and not to the other fails here, not in a client.
 */
class RecordingJsonFieldsTest {

    @Test
    void theAnswerWritesExactlyTheFieldsTheDocumentDescribes() {
        ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        Set<String> described = new TreeSet<>(List.of("transcript_text", "transcript_segments"));
        for (BeanPropertyDefinition property : mapper.getSerializationConfig()
                .introspect(mapper.constructType(Recording.class)).findProperties()) {
            if (property.couldSerialize()) {
                described.add(property.getName());
            }
        }
        assertEquals(described, new TreeSet<>(RecordingJson.fieldNames()));
    }

    @Test
    void theTranscriptComesBetweenTheParticipantsAndTheSummary() {
        List<String> names = new ArrayList<>(RecordingJson.fieldNames());
        int transcript = names.indexOf("transcript_text");
        assertEquals(List.of("participants", "transcript_text", "transcript_segments", "summary"),
                names.subList(transcript - 1, transcript + 3));
    }
}
