package dev.recordings.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.persistence.Column;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

/**
 * The fields' declaration (RecordingFields) against what must agree with it and cannot be taken from it: the entity,
 * whose annotations describe each field in the API document and map it for Hibernate, and the webhook trigger's
 * column list. A field added to one and not to the other fails here, not in a client or a receiver.
 */
class RecordingFieldsTest {

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

    @Test
    void everyDeclaredColumnIsOneTheEntityMaps() {
        Set<String> mapped = new TreeSet<>();
        for (Field field : Recording.class.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            Column column = field.getAnnotation(Column.class);
            mapped.add(column == null || column.name().isEmpty() ? field.getName() : column.name());
        }
        Set<String> declared = new TreeSet<>();
        RecordingFields.ALL.forEach(field -> declared.add(field.column()));
        declared.add(RecordingFields.SEGMENT_COUNT.column());
        assertEquals(mapped, declared);
    }

    /**
     * The trigger that records a change for webhooks fires on an update of any column that is a change of its own:
     * every declared one but the key, the project (neither ever changes), and the timestamps that move by themselves.
     */
    @Test
    void theWebhookTriggerWatchesEveryColumnThatIsAChange() throws IOException {
        String migration;
        try (InputStream in = getClass().getResourceAsStream("/db/migration/V8__outbound_webhooks.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher trigger = Pattern.compile("desktop_recordings_webhook_updated\\s+AFTER UPDATE OF (.*?)\\s+ON "
                + "desktop_recordings", Pattern.DOTALL).matcher(migration);
        assertEquals(true, trigger.find(), "the trigger's definition");
        Set<String> watched = new TreeSet<>();
        Arrays.stream(trigger.group(1).split(",")).map(String::strip).forEach(watched::add);
        Set<String> changes = new TreeSet<>();
        RecordingFields.ALL.forEach(field -> changes.add(field.column()));
        changes.removeAll(Set.of("id", "team_id", "created_at", "updated_at"));
        assertEquals(changes, watched);
    }
}
