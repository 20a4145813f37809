package dev.recordings.transcript;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A transcript read's snapshot holds a pooled connection inside a transaction: it must give it back on every way a
 * read can end, long before PostgreSQL's 60 s idle timeout would.
 */
@QuarkusTest
class TranscriptSnapshotTest {

    private static final Duration SOON = Duration.ofSeconds(5);

    @Inject
    TranscriptStore transcripts;

    @Inject
    Pool pool;

    private UUID recording;

    @BeforeEach
    void aRecordingWithSeveralChunks() {
        Api.Tenant tenant = Api.writer();
        String id = tenant.createRecording();
        StringBuilder segments = new StringBuilder("[");
        for (int segment = 0; segment < 100; segment++) {
            segments.append(segment == 0 ? "" : ",").append("{\"text\": \"segment ").append(segment).append("\"}");
        }
        tenant.appendMinimal(id, segments + "]").statusCode(200);
        recording = UUID.fromString(id);
        await().atMost(SOON).until(() -> openSnapshots() == 0);
    }

    @Test
    void aTranscriptReadToTheEndGivesItsConnectionBack() {
        TranscriptStore.Snapshot snapshot = opened();
        List<TranscriptPart> parts = snapshot.parts(List.of(recording), true).collect().asList()
                .await().atMost(SOON);
        assertEquals(100, parts.stream().filter(TranscriptPart::segments)
                .mapToInt(part -> part.json().toString().split("\\}, \\{").length).sum());
        await().atMost(SOON).until(() -> openSnapshots() == 0);
    }

    @Test
    void aTranscriptReadCancelledAfterItsFirstPartGivesItsConnectionBack() {
        TranscriptStore.Snapshot snapshot = opened();
        assertEquals(1, snapshot.parts(List.of(recording), true).select().first(1).collect().asList()
                .await().atMost(SOON).size());
        await().atMost(SOON).until(() -> openSnapshots() == 0);
    }

    @Test
    void aTranscriptNeverStreamedGivesItsConnectionBack() {
        TranscriptStore.Snapshot snapshot = opened();
        snapshot.parts(List.of(recording), true);
        assertEquals(1, openSnapshots(), "held while the parts may still be streamed");
        await().atMost(TranscriptStore.Snapshot.UNCLAIMED_AFTER.plus(SOON)).until(() -> openSnapshots() == 0);
    }

    private TranscriptStore.Snapshot opened() {
        TranscriptStore.Snapshot snapshot = transcripts.snapshot().await().atMost(SOON);
        snapshot.read(connection -> connection.query("SELECT 1").execute()).await().atMost(SOON);
        assertEquals(1, openSnapshots());
        return snapshot;
    }

    /** Sessions of this database inside a transaction that is waiting for its client. */
    private long openSnapshots() {
        return pool.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND state = 'idle in transaction'").execute().await().atMost(SOON).iterator().next().getLong(0);
    }
}
