package dev.recordings.webhook;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.recordings.recording.RecordingRepository;
import dev.recordings.recording.RecordingJson;
import dev.recordings.transcript.TranscriptStore;
import dev.recordings.transcript.TranscriptWindow;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Turns what the dispatcher claimed into deliveries, in its transaction: each outbox change into its events, each
 * transcript due into its transcript.updated, each queued for every endpoint of the project that takes its type.
 * What the events say is {@link WebhookPayloads}' to decide; this reads what they need and writes the deliveries.
 */
@ApplicationScoped
public class EventDeliveries {

    private static final int[] NO_POSITIONS = {};

    private final Tracer tracer;
    private final WebhookStore store;
    private final RecordingRepository recordings;
    private final TranscriptStore transcripts;
    private final WebhookPayloads payloads;
    private final ObjectMapper mapper;

    public EventDeliveries(WebhookStore store, RecordingRepository recordings, TranscriptStore transcripts,
            RecordingJson json, ObjectMapper mapper, Tracer tracer) {
        this.tracer = tracer;
        this.store = store;
        this.recordings = recordings;
        this.transcripts = transcripts;
        this.payloads = new WebhookPayloads(mapper, json::summary);
        this.mapper = mapper;
    }

    /** The deliveries of these outbox changes, which the caller removes from the outbox in the same transaction. */
    Uni<Void> forChanges(SqlClient transaction, List<WebhookStore.Event> events) {
        // a trace of its own for each batch (a no-op span while traces are off), naming the recordings it came from
        Span span = tracer.spanBuilder("webhook events").setNoParent()
                .setAttribute("webhook.events", (long) events.size())
                .setAttribute(AttributeKey.stringArrayKey("webhook.recording_ids"), events.stream()
                        .map(event -> event.recordingId().toString()).distinct().toList())
                .startSpan();
        return changes(transaction, events).onTermination().invoke(span::end);
    }

    private Uni<Void> changes(SqlClient transaction, List<WebhookStore.Event> events) {
        List<String> rows = new ArrayList<>();
        for (WebhookStore.Event event : events) {
            rows.add(event.newRow() != null ? event.newRow() : event.oldRow());
            rows.add(event.oldRow() != null ? event.oldRow() : event.newRow());
        }
        Map<Long, List<WebhookStore.Subscriber>> subscribers = new HashMap<>();
        return recordings.snapshots(transaction, rows).chain(snapshots -> Multi.createFrom().range(0, events.size())
                .onItem().transformToUniAndConcatenate(index -> {
                    WebhookStore.Event event = events.get(index);
                    List<WebhookPayloads.Made> made = payloads.recordingChange(event.operation(), event.occurredAt(),
                            event.recordingId(), event.projectId(), snapshots.get(2 * index),
                            snapshots.get(2 * index + 1));
                    return subscribers(transaction, subscribers, event.projectId())
                            .chain(endpoints -> queue(transaction, endpoints, event.recordingId(), made));
                }).collect().asList()).replaceWithVoid();
    }

    /**
     * One transcript.updated for what changed since the last one: the segments from the first not yet announced
     * (or from 0 when the transcript was replaced, or its log pruned), the positions replaced in place, and the
     * renames; then the transcript is marked announced up to what was read.
     */
    Uni<Void> forTranscript(SqlClient transaction, WebhookStore.DirtyTranscript dirty) {
        Span span = tracer.spanBuilder("webhook transcript.updated").setNoParent()
                .setAttribute("webhook.recording_id", dirty.recordingId().toString()).startSpan();
        return transcript(transaction, dirty).onTermination().invoke(span::end);
    }

    private Uni<Void> transcript(SqlClient transaction, WebhookStore.DirtyTranscript dirty) {
        return transcripts.changesSince(transaction, dirty.recordingId(), dirty.announcedSeq()).chain(changes -> {
            WebhookPayloads.Announcement announced = WebhookPayloads.announcement(dirty.announcedCount(),
                    changes.after(dirty.announcedSeq()));
            int from = announced.from();
            return window(transaction, dirty, from).chain(window -> {
                if (window == null) {
                    return store.forgetTranscript(transaction, dirty.recordingId());
                }
                if (window.count() < from) {
                    // shrunk without a log of it (the log was pruned): everything again
                    return window(transaction, dirty, 0).chain(whole -> whole == null
                            ? store.forgetTranscript(transaction, dirty.recordingId())
                            : announce(transaction, dirty, whole, announced));
                }
                return announce(transaction, dirty, window, announced);
            });
        });
    }

    private Uni<TranscriptWindow> window(SqlClient transaction, WebhookStore.DirtyTranscript dirty, int from) {
        return transcripts.window(transaction, dirty.projectId(), dirty.recordingId(), from,
                from + WebhookPayloads.MOST_SEGMENTS, NO_POSITIONS);
    }

    private Uni<Void> announce(SqlClient transaction, WebhookStore.DirtyTranscript dirty, TranscriptWindow window,
            WebhookPayloads.Announcement announced) {
        Uni<Void> queued = WebhookPayloads.nothingNew(dirty.announcedCount(), window.from(), window.count(), announced)
                ? Uni.createFrom().voidItem()
                : store.subscribers(transaction, dirty.projectId()).chain(endpoints -> {
                    String body = payloads.transcriptUpdated(OffsetDateTime.now(ZoneOffset.UTC), dirty.recordingId(),
                            dirty.projectId(), window.count(), window.from(), segments(window),
                            window.end() < window.count(), announced);
                    return queue(transaction, endpoints, dirty.recordingId(),
                            List.of(new WebhookPayloads.Made(WebhookEvents.TRANSCRIPT, body)));
                });
        return queued.chain(() -> store.announced(transaction, dirty.recordingId(), window.count(),
                window.changeSeq()));
    }

    private Uni<List<WebhookStore.Subscriber>> subscribers(SqlClient transaction,
            Map<Long, List<WebhookStore.Subscriber>> known, long projectId) {
        List<WebhookStore.Subscriber> found = known.get(projectId);
        return found != null ? Uni.createFrom().item(found)
                : store.subscribers(transaction, projectId).invoke(endpoints -> known.put(projectId, endpoints));
    }

    private Uni<Void> queue(SqlClient transaction, List<WebhookStore.Subscriber> endpoints, java.util.UUID recording,
            List<WebhookPayloads.Made> made) {
        List<Uni<java.util.UUID>> inserts = new ArrayList<>();
        for (WebhookPayloads.Made event : made) {
            for (WebhookStore.Subscriber endpoint : endpoints) {
                if (WebhookEvents.takes(endpoint.events(), event.type())) {
                    inserts.add(store.insertDelivery(transaction, endpoint.id(), event.type(), recording,
                            event.body()));
                }
            }
        }
        return inserts.isEmpty() ? Uni.createFrom().voidItem()
                : Multi.createFrom().iterable(inserts).onItem().transformToUniAndConcatenate(insert -> insert)
                        .collect().last().replaceWithVoid();
    }

    private ArrayNode segments(TranscriptWindow window) {
        try {
            return (ArrayNode) mapper.readTree(window.segmentsArray());
        } catch (Exception e) {
            throw new IllegalStateException("stored segments that do not parse", e);
        }
    }
}
