package dev.recordings.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.config.RecordingsConfig;
import dev.recordings.error.ErrorAnswers;
import dev.recordings.json.JsonBounds;
import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingRepository;
import dev.recordings.recording.rest.RecordingJson;
import dev.recordings.transcript.TranscriptStore;
import dev.recordings.transcript.TranscriptWindow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Turns what the database recorded into deliveries, on every replica, once a second: the outbox of recording changes
 * (each change once, by whichever replica locks it first) and the transcripts due for their coalesced announcement;
 * then has the sender attempt what is due. Each batch is one transaction: the deliveries are written and the outbox
 * rows removed together, so a replica that dies midway leaves the changes to the next. Every read of a batch goes
 * through that transaction's connection: once it holds rows that appends may wait for, it must never wait for a
 * connection of the pool, which those appends hold (under load that deadlocked until the pool's wait timed out).
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int BATCH = 100;
    private static final Long[] NONE = {};
    /** Dispatches an event may fail on its own before it is set aside. */
    static final int STRIKES = 3;
    /** A transcript announced and unchanged this long turns quiet; every this many ticks quiet ones are looked at. */
    static final Duration QUIET_AFTER = Duration.ofMinutes(10);
    static final int QUIET_SWEEP_TICKS = 30;
    /** The contract's bounds on an event, and on the segments a transcript.updated carries. */
    static final int MOST_BYTES = 64 * 1024;
    static final int MOST_SEGMENTS = 200;
    /** The most of a transcript.updated's {@code replaced} and {@code renamed} lists each, so segments keep room. */
    static final int MOST_CHANGE_LIST_BYTES = 8 * 1024;
    /** Recording fields that are not "changes" of their own: the status has its event, the rest move by themselves. */
    private static final List<String> NOT_CHANGES = List.of("status", "updated_at", "segment_count");

    private final Pool pool;
    private final Vertx vertx;
    private final WebhookStore store;
    private final WebhookService webhooks;
    private final WebhookSender sender;
    private final RecordingRepository recordings;
    private final RecordingJson json;
    private final TranscriptStore transcripts;
    private final ObjectMapper mapper;
    private final Duration transcriptInterval;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Counter setAside;
    private long timer = -1;
    private long ticks;

    public WebhookDispatcher(Pool pool, Vertx vertx, WebhookStore store, WebhookService webhooks,
            WebhookSender sender, RecordingRepository recordings, RecordingJson json, TranscriptStore transcripts,
            ObjectMapper mapper, RecordingsConfig config, MeterRegistry metrics) {
        this.pool = pool;
        this.vertx = vertx;
        this.store = store;
        this.webhooks = webhooks;
        this.sender = sender;
        this.recordings = recordings;
        this.json = json;
        this.transcripts = transcripts;
        this.mapper = mapper;
        this.transcriptInterval = config.webhooks().transcriptInterval();
        this.setAside = Counter.builder("recordings.webhooks.events.set_aside").description("Outbox events that "
                + "could not be turned into deliveries and were set aside").register(metrics);
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(TICK.toMillis(), tick -> tick());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Uni<Void> settle = ++ticks % QUIET_SWEEP_TICKS == 0 ? store.settleQuietTranscripts(QUIET_AFTER)
                : Uni.createFrom().voidItem();
        dispatchEvents().chain(this::dispatchTranscripts).chain(() -> settle).chain(sender::attemptDue)
                .subscribe().with(done -> running.set(false), failure -> {
                    LOG.debugf("A webhook dispatch failed (the next one goes on): %s", failure.toString());
                    running.set(false);
                });
    }

    // Recording changes

    /**
     * A batch of changes in one transaction; when the batch fails (and the database is there), each change again in
     * a transaction of its own, so that one that cannot be rendered is found and the rest flow on. An event that
     * fails on its own in {@value #STRIKES} dispatches is set aside (a transient failure is not a reason to).
     */
    Uni<Void> dispatchEvents() {
        return pool.withTransaction(transaction -> dispatchEvents(transaction, BATCH, NONE, ids -> {
        })).replaceWithVoid().onFailure(failure -> !ErrorAnswers.isDatabaseUnavailable(failure))
                .recoverWithUni(failure -> oneByOne(BATCH, new ArrayList<>()));
    }

    private Uni<Void> oneByOne(int left, List<Long> failed) {
        if (left == 0) {
            return Uni.createFrom().voidItem();
        }
        long[] claimed = { -1 };
        return pool.withTransaction(transaction -> dispatchEvents(transaction, 1, failed.toArray(Long[]::new),
                ids -> claimed[0] = ids.isEmpty() ? -1 : ids.get(0)))
                .map(ids -> !ids.isEmpty()).onFailure(failure -> !ErrorAnswers.isDatabaseUnavailable(failure))
                .recoverWithUni(failure -> {
                    if (claimed[0] < 0) {
                        return Uni.createFrom().failure(failure);
                    }
                    long event = claimed[0];
                    failed.add(event);
                    return store.failedAlone(event, failure.toString(), STRIKES).map(setAside -> {
                        if (setAside) {
                            LOG.warnf("Outbox event %d could not be turned into deliveries %d times and is set aside "
                                    + "(webhook_events.set_aside_at): %s", event, STRIKES, failure.toString());
                            this.setAside.increment();
                        }
                        return true;
                    });
                })
                .chain(more -> more ? oneByOne(left - 1, failed) : Uni.createFrom().voidItem());
    }

    /** Turns up to {@code limit} changes into deliveries in the transaction; answers the ids of those claimed. */
    private Uni<List<Long>> dispatchEvents(SqlClient transaction, int limit, Long[] skipped,
            Consumer<List<Long>> claimed) {
        return store.claimEvents(transaction, limit, skipped).chain(events -> {
            List<Long> ids = events.stream().map(WebhookStore.Event::id).toList();
            claimed.accept(ids);
            if (events.isEmpty()) {
                return Uni.createFrom().item(ids);
            }
            return Uni.createFrom().deferred(() -> {
                List<String> rows = new ArrayList<>();
                for (WebhookStore.Event event : events) {
                    rows.add(event.newRow() != null ? event.newRow() : event.oldRow());
                    rows.add(event.oldRow() != null ? event.oldRow() : event.newRow());
                }
                Map<Long, List<WebhookStore.Subscriber>> subscribers = new HashMap<>();
                return recordings.snapshots(transaction, rows).chain(snapshots -> Multi.createFrom().range(0,
                        events.size()).onItem().transformToUniAndConcatenate(index -> {
                            WebhookStore.Event event = events.get(index);
                            return subscribers(transaction, subscribers, event.projectId())
                                    .chain(endpoints -> queue(transaction, endpoints, event, snapshots.get(2 * index),
                                            snapshots.get(2 * index + 1)));
                        }).collect().asList())
                        .chain(() -> store.removeEvents(transaction, events)).replaceWith(ids);
            });
        });
    }

    private Uni<List<WebhookStore.Subscriber>> subscribers(SqlClient transaction,
            Map<Long, List<WebhookStore.Subscriber>> known, long projectId) {
        List<WebhookStore.Subscriber> found = known.get(projectId);
        return found != null ? Uni.createFrom().item(found)
                : store.subscribers(transaction, projectId).invoke(endpoints -> known.put(projectId, endpoints));
    }

    /** The events one change makes, each queued for every endpoint that takes its type. */
    private Uni<Void> queue(SqlClient transaction, List<WebhookStore.Subscriber> endpoints, WebhookStore.Event event,
            Recording now, Recording before) {
        List<String[]> made = new ArrayList<>();
        ObjectNode current = json.summary(now);
        switch (event.operation()) {
            case "INSERT" -> made.add(new String[] { WebhookEvents.CREATED, render(WebhookEvents.CREATED, event,
                    withProject(current, event)) });
            case "DELETE" -> made.add(new String[] { WebhookEvents.DELETED, render(WebhookEvents.DELETED, event,
                    mapper.createObjectNode().put("id", event.recordingId().toString())
                            .put("project_id", event.projectId())) });
            default -> {
                ObjectNode previous = json.summary(before);
                if (!Objects.equals(now.status, before.status)) {
                    ObjectNode data = mapper.createObjectNode().put("id", event.recordingId().toString())
                            .put("project_id", event.projectId()).put("status", now.status)
                            .put("previous_status", before.status);
                    data.set("updated_at", current.get("updated_at"));
                    made.add(new String[] { WebhookEvents.STATUS_CHANGED, render(WebhookEvents.STATUS_CHANGED, event,
                            data) });
                }
                ArrayNode changed = mapper.createArrayNode();
                current.properties().forEach(field -> {
                    if (!NOT_CHANGES.contains(field.getKey())
                            && !Objects.equals(field.getValue(), previous.get(field.getKey()))) {
                        changed.add(field.getKey());
                    }
                });
                if (!changed.isEmpty()) {
                    ObjectNode data = withProject(current, event);
                    data.set("changed", changed);
                    made.add(new String[] { WebhookEvents.UPDATED, render(WebhookEvents.UPDATED, event, data) });
                }
            }
        }
        List<Uni<java.util.UUID>> inserts = new ArrayList<>();
        for (String[] typeAndBody : made) {
            for (WebhookStore.Subscriber endpoint : endpoints) {
                if (WebhookEvents.takes(endpoint.events(), typeAndBody[0])) {
                    inserts.add(store.insertDelivery(transaction, endpoint.id(), typeAndBody[0], event.recordingId(),
                            typeAndBody[1]));
                }
            }
        }
        return inserts.isEmpty() ? Uni.createFrom().voidItem()
                : Multi.createFrom().iterable(inserts).onItem().transformToUniAndConcatenate(insert -> insert)
                        .collect().last().replaceWithVoid();
    }

    private ObjectNode withProject(ObjectNode recording, WebhookStore.Event event) {
        ObjectNode data = recording.deepCopy();
        data.put("project_id", event.projectId());
        return data;
    }

    /** The event's text; past 64 KB its data is cut to fit (JsonBounds) and says so with {@code "truncated": true}. */
    private String render(String type, WebhookStore.Event event, ObjectNode data) {
        String text = webhooks.event(type, event.occurredAt(), data);
        if (text.getBytes(StandardCharsets.UTF_8).length <= MOST_BYTES) {
            return text;
        }
        int envelope = webhooks.event(type, event.occurredAt(), mapper.createObjectNode())
                .getBytes(StandardCharsets.UTF_8).length;
        ObjectNode fitted = (ObjectNode) JsonBounds.fit(data, MOST_BYTES - envelope - 32);
        fitted.put("truncated", true);
        return webhooks.event(type, event.occurredAt(), fitted);
    }

    // Transcripts

    Uni<Void> dispatchTranscripts() {
        return pool.withTransaction(transaction -> store.claimTranscripts(transaction, transcriptInterval, BATCH)
                .chain(dirty -> Multi.createFrom().iterable(dirty)
                        .onItem().transformToUniAndConcatenate(transcript -> announce(transaction, transcript))
                        .collect().asList().replaceWithVoid()));
    }

    /**
     * One transcript.updated for what changed since the last one: the segments from the first not yet announced
     * (or from 0 when the transcript was replaced), the positions replaced in place, and the renames.
     */
    private Uni<Void> announce(SqlClient transaction, WebhookStore.DirtyTranscript dirty) {
        return transcripts.changesSince(transaction, dirty.recordingId(), dirty.announcedSeq()).chain(logged -> {
            JsonNode changes = parse(logged);
            int start = dirty.announcedCount();
            TreeSet<Integer> replaced = new TreeSet<>();
            ArrayNode renamed = mapper.createArrayNode();
            boolean gap = changes.size() > 0 && changes.get(0).path("seq").asInt() != dirty.announcedSeq() + 1;
            for (JsonNode change : changes) {
                switch (change.path("kind").asText()) {
                    case "transcript" -> start = 0;
                    case "segments" -> {
                        change.path("replaced").forEach(position -> replaced.add(position.asInt()));
                        if (change.path("replaced_from").isInt()) {
                            start = Math.min(start, change.get("replaced_from").asInt());
                        }
                    }
                    case "speaker_renamed" -> renamed.add(mapper.createObjectNode()
                            .put("from", change.path("from").isTextual() ? change.get("from").textValue() : null)
                            .put("to", change.path("to").asText()));
                    default -> {
                        // a status change: its own event
                    }
                }
            }
            int from = gap ? 0 : start;
            return transcripts.window(transaction, dirty.projectId(), dirty.recordingId(), from,
                    from + MOST_SEGMENTS, NO_POSITIONS).chain(window -> {
                        if (window == null) {
                            return store.forgetTranscript(transaction, dirty.recordingId());
                        }
                        if (window.count() < from) {
                            // shrunk without a log of it (the log was pruned): everything again
                            return transcripts.window(transaction, dirty.projectId(), dirty.recordingId(), 0,
                                    MOST_SEGMENTS, NO_POSITIONS).chain(whole -> whole == null
                                            ? store.forgetTranscript(transaction, dirty.recordingId())
                                            : queueTranscript(transaction, dirty, whole, replaced, renamed));
                        }
                        return queueTranscript(transaction, dirty, window, replaced, renamed);
                    });
        });
    }

    private static final int[] NO_POSITIONS = {};

    private Uni<Void> queueTranscript(SqlClient transaction, WebhookStore.DirtyTranscript dirty,
            TranscriptWindow window, TreeSet<Integer> replaced, ArrayNode renamed) {
        boolean nothingNew = window.from() >= window.count() && replaced.isEmpty() && renamed.isEmpty()
                && window.from() == dirty.announcedCount();
        Uni<Void> queued = nothingNew ? Uni.createFrom().voidItem()
                : store.subscribers(transaction, dirty.projectId()).chain(endpoints -> {
                    ObjectNode data = mapper.createObjectNode();
                    data.put("id", dirty.recordingId().toString());
                    data.put("project_id", dirty.projectId());
                    data.put("segment_count", window.count());
                    data.put("start", window.from());
                    ArrayNode segments = (ArrayNode) parse("[" + window.segments() + "]");
                    data.set("segments", mapper.createArrayNode());
                    ArrayNode positions = mapper.createArrayNode();
                    replaced.forEach(positions::add);
                    JsonNode replacedShown = JsonBounds.fit(positions, MOST_CHANGE_LIST_BYTES);
                    JsonNode renamedShown = JsonBounds.fit(renamed, MOST_CHANGE_LIST_BYTES);
                    data.put("truncated", window.end() < window.count() || replacedShown != positions
                            || renamedShown != renamed);
                    data.set("replaced", replacedShown);
                    data.set("renamed", renamedShown);
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    // the segments that fit beside the rest, each measured once
                    int room = MOST_BYTES - webhooks.event(WebhookEvents.TRANSCRIPT, now, data)
                            .getBytes(StandardCharsets.UTF_8).length;
                    ArrayNode shown = (ArrayNode) data.get("segments");
                    for (JsonNode segment : segments) {
                        int cost = JsonBounds.size(segment) + (shown.isEmpty() ? 0 : 1);
                        if (cost > room) {
                            data.put("truncated", true);
                            break;
                        }
                        shown.add(segment);
                        room -= cost;
                    }
                    String body = webhooks.event(WebhookEvents.TRANSCRIPT, now, data);
                    String text = body;
                    return Multi.createFrom().iterable(endpoints)
                            .filter(endpoint -> WebhookEvents.takes(endpoint.events(), WebhookEvents.TRANSCRIPT))
                            .onItem().transformToUniAndConcatenate(endpoint -> store.insertDelivery(transaction,
                                    endpoint.id(), WebhookEvents.TRANSCRIPT, dirty.recordingId(), text))
                            .collect().asList().replaceWithVoid();
                });
        return queued.chain(() -> store.announced(transaction, dirty.recordingId(), window.count(),
                window.changeSeq()));
    }

    private JsonNode parse(String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON that does not parse", e);
        }
    }
}
