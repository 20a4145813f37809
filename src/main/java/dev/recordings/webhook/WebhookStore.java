package dev.recordings.webhook;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every statement over the webhook tables (V8__outbound_webhooks.sql): endpoints, the outbox of recording changes,
 * the transcript announcements and the deliveries.
 */
@ApplicationScoped
public class WebhookStore {

    private static final String ENDPOINT_COLUMNS = "e.id, e.team_id, e.url, e.description, e.events, e.enabled, "
            + "e.disabled_reason, e.created_at, e.updated_at";
    private static final String DELIVERY_COLUMNS = "d.id, d.event_type, d.recording_id, d.status, d.attempts, "
            + "d.last_status_code, d.last_error, d.next_attempt_at, d.created_at, d.delivered_at";

    /** The advisory lock class of a project's endpoint list ("whep" in ASCII); the project is the second key. */
    private static final int ENDPOINTS_LOCK = 0x77686570;

    private final Pool pool;

    public WebhookStore(Pool pool) {
        this.pool = pool;
    }

    // Endpoints

    public Uni<Long> countEndpoints(long projectId) {
        return pool.preparedQuery("SELECT count(*) FROM webhook_endpoints e WHERE e.team_id = $1")
                .execute(Tuple.of(projectId)).map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Inserts an endpoint unless the project already has {@code most}; null when it has. The count and the insert
     * run under a transaction-scoped advisory lock on the project, so parallel creates cannot both pass the count
     * (and no lock outlives its transaction on a pooled server connection).
     */
    public Uni<WebhookEndpoint> insert(UUID id, long projectId, String url, String description, List<String> events,
            boolean enabled, String secret, int most) {
        return pool.withTransaction(transaction -> transaction
                .preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2::bigint::text))")
                .execute(Tuple.of(ENDPOINTS_LOCK, projectId))
                .chain(() -> transaction.preparedQuery("INSERT INTO webhook_endpoints AS e (id, team_id, url, "
                        + "description, events, transcripts, enabled, disabled_reason, secret) SELECT $1, $2, $3, $4, "
                        + "$5, $6, $7, $8, $9 WHERE (SELECT count(*) FROM webhook_endpoints c WHERE c.team_id = $2) "
                        + "< $10 RETURNING " + ENDPOINT_COLUMNS)
                        .execute(Tuple.tuple(Arrays.asList(id, projectId, url, description,
                                events.toArray(String[]::new), takesTranscripts(events), enabled,
                                enabled ? null : WebhookEndpoint.MANUAL, secret, most))))
                .map(rows -> rows.size() == 0 ? null : endpoint(rows.iterator().next())));
    }

    public record EndpointPage(long count, List<WebhookEndpoint> endpoints) {
    }

    public Uni<EndpointPage> endpoints(long projectId, int limit, long offset) {
        return countEndpoints(projectId).chain(count -> pool.preparedQuery("SELECT " + ENDPOINT_COLUMNS
                + " FROM webhook_endpoints e WHERE e.team_id = $1 ORDER BY e.created_at, e.id LIMIT $2 OFFSET $3")
                .execute(Tuple.of(projectId, limit, offset)).map(rows -> {
                    List<WebhookEndpoint> endpoints = new ArrayList<>();
                    rows.forEach(row -> endpoints.add(endpoint(row)));
                    return new EndpointPage(count, endpoints);
                }));
    }

    /** The project's endpoint; null when it has no such endpoint. */
    public Uni<WebhookEndpoint> endpoint(long projectId, UUID id) {
        return pool.preparedQuery("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints e WHERE e.id = $1 "
                + "AND e.team_id = $2").execute(Tuple.of(id, projectId))
                .map(rows -> rows.size() == 0 ? null : endpoint(rows.iterator().next()));
    }

    /** Writes an endpoint's changed fields; null when the project has no such endpoint. */
    public Uni<WebhookEndpoint> update(WebhookEndpoint changed) {
        return pool.preparedQuery("UPDATE webhook_endpoints e SET url = $3, description = $4, events = $5, "
                + "transcripts = $6, enabled = $7, disabled_reason = $8, updated_at = now() "
                + "WHERE e.id = $1 AND e.team_id = $2 RETURNING " + ENDPOINT_COLUMNS)
                .execute(Tuple.tuple(Arrays.asList(changed.id(), changed.projectId(), changed.url(),
                        changed.description(), changed.events().toArray(String[]::new),
                        takesTranscripts(changed.events()), changed.enabled(), changed.disabledReason())))
                .map(rows -> rows.size() == 0 ? null : endpoint(rows.iterator().next()));
    }

    /** Deletes an endpoint, and with it its deliveries (those pending are abandoned with it). */
    public Uni<Boolean> delete(long projectId, UUID id) {
        return pool.preparedQuery("DELETE FROM webhook_endpoints e WHERE e.id = $1 AND e.team_id = $2")
                .execute(Tuple.of(id, projectId)).map(rows -> rows.rowCount() > 0);
    }

    /** A new secret; the one it replaces still signs, beside it, for {@code overlap}. */
    public Uni<Boolean> rotate(long projectId, UUID id, String secret, Duration overlap) {
        return pool.preparedQuery("UPDATE webhook_endpoints e SET previous_secret = e.secret, "
                + "previous_secret_until = now() + make_interval(secs => $4), secret = $3, updated_at = now() "
                + "WHERE e.id = $1 AND e.team_id = $2")
                .execute(Tuple.of(id, projectId, secret, (double) overlap.toSeconds()))
                .map(rows -> rows.rowCount() > 0);
    }

    private static boolean takesTranscripts(List<String> events) {
        return WebhookEvents.takes(events, WebhookEvents.TRANSCRIPT);
    }

    private static WebhookEndpoint endpoint(Row row) {
        return new WebhookEndpoint(row.getUUID("id"), row.getLong("team_id"), row.getString("url"),
                row.getString("description"), List.of(row.getArrayOfStrings("events")), row.getBoolean("enabled"),
                row.getString("disabled_reason"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }

    // Deliveries, as the API shows them

    /** Queues a delivery on its own (a ping); answers its id. */
    public Uni<UUID> queue(UUID endpoint, String type, UUID recording, String body) {
        return insertDelivery(pool, endpoint, type, recording, body);
    }

    public Uni<UUID> insertDelivery(SqlClient client, UUID endpoint, String type, UUID recording, String body) {
        UUID id = UUID.randomUUID();
        return client.preparedQuery("INSERT INTO webhook_deliveries (id, endpoint_id, event_type, recording_id, body)"
                + " VALUES ($1, $2, $3, $4, $5)").execute(Tuple.of(id, endpoint, type, recording, body))
                .replaceWith(id);
    }

    public record DeliveryPage(long count, List<WebhookDelivery> deliveries) {
    }

    /** An endpoint's deliveries, newest first, of one status or all ({@code status} null). */
    public Uni<DeliveryPage> deliveries(UUID endpoint, String status, int limit, long offset) {
        String where = " FROM webhook_deliveries d WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2)";
        Tuple filter = Tuple.of(endpoint, status);
        return pool.preparedQuery("SELECT count(*)" + where).execute(filter)
                .map(rows -> rows.iterator().next().getLong(0))
                .chain(count -> pool.preparedQuery("SELECT " + DELIVERY_COLUMNS + where
                        + " ORDER BY d.created_at DESC, d.id DESC LIMIT $3 OFFSET $4")
                        .execute(Tuple.of(endpoint, status, limit, offset)).map(rows -> {
                            List<WebhookDelivery> deliveries = new ArrayList<>();
                            rows.forEach(row -> deliveries.add(delivery(row)));
                            return new DeliveryPage(count, deliveries);
                        }));
    }

    /**
     * Schedules a delivery of the endpoint for now, whatever its state; false when there is no such one. An attempt
     * in flight keeps its claim: its outcome is written as it ends, and the retry comes after.
     */
    public Uni<Boolean> retry(UUID endpoint, UUID delivery) {
        return pool.preparedQuery("UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = now() "
                + "WHERE d.id = $1 AND d.endpoint_id = $2")
                .execute(Tuple.of(delivery, endpoint)).map(rows -> rows.rowCount() > 0);
    }

    private static WebhookDelivery delivery(Row row) {
        return new WebhookDelivery(row.getUUID("id"), row.getString("event_type"), row.getUUID("recording_id"),
                row.getString("status"), row.getInteger("attempts"), row.getInteger("last_status_code"),
                row.getString("last_error"), row.getOffsetDateTime("next_attempt_at"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("delivered_at"));
    }

    // The outbox

    /** A change to a recording, with its row before and after (JSON, null where there is none). */
    public record Event(long id, long projectId, UUID recordingId, String operation, String oldRow, String newRow,
            OffsetDateTime occurredAt) {
    }

    /**
     * The oldest changes nobody else is turning into deliveries right now, locked until the caller commits. Two
     * steps, because Citus refuses {@code FOR UPDATE} on a statement over several shards: the oldest waiting events
     * are read without a lock, then each is locked by its own key ({@code SKIP LOCKED}, re-checked on the newest row:
     * one another replica took and removed meanwhile is not there any more), all in one round trip.
     */
    public Uni<List<Event>> claimEvents(SqlClient transaction, int limit, Long[] skipped) {
        return transaction.preparedQuery("SELECT recording_id, id FROM webhook_events WHERE set_aside_at IS NULL "
                + "AND NOT (id = ANY ($2)) ORDER BY id LIMIT $1").execute(Tuple.of(limit, skipped))
                .chain(candidates -> lockEach(transaction, "SELECT id, team_id, recording_id, operation, "
                        + "old_row::text AS old_row, new_row::text AS new_row, occurred_at FROM webhook_events "
                        + "WHERE recording_id = $1 AND id = $2 AND set_aside_at IS NULL FOR UPDATE SKIP LOCKED",
                        keys(candidates, row -> Tuple.of(row.getUUID("recording_id"), row.getLong("id")))))
                .map(rows -> rows.stream().map(row -> new Event(row.getLong("id"), row.getLong("team_id"),
                        row.getUUID("recording_id"), row.getString("operation"), row.getString("old_row"),
                        row.getString("new_row"), row.getOffsetDateTime("occurred_at"))).toList());
    }

    private static List<Tuple> keys(RowSet<Row> rows, Function<Row, Tuple> key) {
        List<Tuple> keys = new ArrayList<>(rows.size());
        rows.forEach(row -> keys.add(key.apply(row)));
        return keys;
    }

    /** Runs a statement that answers at most one row once per key, in one round trip; answers the rows. */
    private static Uni<List<Row>> lockEach(SqlClient transaction, String statement, List<Tuple> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return transaction.preparedQuery(statement).executeBatch(keys).map(first -> {
            List<Row> rows = new ArrayList<>();
            for (RowSet<Row> each = first; each != null; each = each.next()) {
                each.forEach(rows::add);
            }
            return rows;
        });
    }

    public Uni<Void> removeEvents(SqlClient transaction, List<Event> events) {
        return transaction.preparedQuery("DELETE FROM webhook_events WHERE recording_id = $1 AND id = $2")
                .executeBatch(events.stream().map(event -> Tuple.of(event.recordingId(), event.id())).toList())
                .replaceWithVoid();
    }

    /**
     * Counts a failure of an event dispatched on its own; at the {@code most}th it is kept out of every later batch,
     * with the reason. Answers whether it was set aside.
     */
    public Uni<Boolean> failedAlone(long event, String reason, int most) {
        // counted, then set aside by a second statement: Citus refuses now() beside a column in an UPDATE over shards
        return pool.preparedQuery("UPDATE webhook_events SET failures = failures + 1, set_aside_reason = $2 "
                + "WHERE id = $1 RETURNING failures").execute(Tuple.of(event, reason))
                .chain(rows -> rows.size() == 0 || rows.iterator().next().getInteger(0) < most
                        ? Uni.createFrom().item(false)
                        : pool.preparedQuery("UPDATE webhook_events SET set_aside_at = now() WHERE id = $1")
                                .execute(Tuple.of(event)).map(set -> set.rowCount() > 0));
    }

    /** The outbox's depth: events waiting, the oldest one's age in seconds (0 when none), and events set aside. */
    public record OutboxDepth(long waiting, double oldestSeconds, long setAside) {
    }

    public Uni<OutboxDepth> outboxDepth() {
        return pool.query("SELECT count(*) FILTER (WHERE set_aside_at IS NULL), coalesce(extract(epoch FROM now() - "
                + "min(occurred_at) FILTER (WHERE set_aside_at IS NULL)), 0), count(*) FILTER (WHERE set_aside_at IS "
                + "NOT NULL) FROM webhook_events").execute().map(rows -> {
                    Row row = rows.iterator().next();
                    return new OutboxDepth(row.getLong(0), row.getNumeric(1).doubleValue(), row.getLong(2));
                });
    }

    /** An enabled endpoint of a project, and the events it takes. */
    public record Subscriber(UUID id, List<String> events) {
    }

    public Uni<List<Subscriber>> subscribers(SqlClient client, long projectId) {
        return client.preparedQuery("SELECT e.id, e.events FROM webhook_endpoints e WHERE e.team_id = $1 "
                + "AND e.enabled").execute(Tuple.of(projectId)).map(rows -> {
                    List<Subscriber> subscribers = new ArrayList<>();
                    rows.forEach(row -> subscribers.add(new Subscriber(row.getUUID("id"),
                            List.of(row.getArrayOfStrings("events")))));
                    return subscribers;
                });
    }

    /** A transcript changed since it was last announced, and what was announced. */
    public record DirtyTranscript(UUID recordingId, long projectId, int announcedCount, int announcedSeq) {
    }

    /**
     * Enrolled transcripts that changed since their last announcement (their count or their change number moved)
     * and were not announced in the last {@code interval}, locked until the caller commits: read without a lock,
     * then each locked by its key with the same conditions (as {@link #claimEvents}). The appends never write these
     * rows once they exist, so the lock holds nobody back.
     */
    public Uni<List<DirtyTranscript>> claimTranscripts(SqlClient transaction, Duration interval, int limit) {
        double seconds = interval.toMillis() / 1000.0;
        return transaction.preparedQuery(CLAIM_TRANSCRIPTS).execute(Tuple.of(seconds, limit))
                .chain(candidates -> lockEach(transaction, "SELECT t.recording_id, t.team_id, t.announced_count, "
                        + "t.announced_seq FROM webhook_transcripts t JOIN desktop_recordings r ON r.id = t.recording_id"
                        + " WHERE t.recording_id = $2 AND r.id = $2 AND " + DIRTY + " FOR UPDATE OF t SKIP LOCKED",
                        keys(candidates, row -> Tuple.of(seconds, row.getUUID("recording_id")))))
                .map(rows -> rows.stream().map(row -> new DirtyTranscript(row.getUUID("recording_id"),
                        row.getLong("team_id"), row.getInteger("announced_count"), row.getInteger("announced_seq")))
                        .toList());
    }

    /** Active, changed since announced, and not announced in the last {@code $1} seconds. */
    private static final String DIRTY = "NOT t.quiet AND (r.segment_count <> t.announced_count "
            + "OR r.change_seq <> t.announced_seq) "
            + "AND (t.announced_at IS NULL OR t.announced_at <= now() - make_interval(secs => $1))";

    /** The active transcripts only (webhook_transcripts_active_idx): quiet ones are woken by the slower sweep. */
    static final String CLAIM_TRANSCRIPTS = "SELECT t.recording_id FROM webhook_transcripts t "
            + "JOIN desktop_recordings r ON r.id = t.recording_id WHERE " + DIRTY
            + " ORDER BY t.announced_at NULLS FIRST LIMIT $2";

    /**
     * The slower sweep: active transcripts announced and unchanged for {@code after} turn quiet, and quiet ones
     * whose recording changed since their announcement turn active again (and are claimed on the next tick). Each a
     * join on the recording, which Citus runs on every worker at once; a row a dispatcher holds is waited for and
     * judged again as it left it.
     */
    public Uni<Void> settleQuietTranscripts(Duration after) {
        return pool.preparedQuery("UPDATE webhook_transcripts t SET quiet = true FROM desktop_recordings r "
                + "WHERE r.id = t.recording_id AND NOT t.quiet AND t.announced_at < now() - make_interval(secs => $1) "
                + "AND r.segment_count = t.announced_count AND r.change_seq = t.announced_seq")
                .execute(Tuple.of((double) after.toSeconds()))
                .chain(() -> wakeQuietTranscripts());
    }

    Uni<Void> wakeQuietTranscripts() {
        return pool.query("UPDATE webhook_transcripts t SET quiet = false FROM desktop_recordings r "
                + "WHERE r.id = t.recording_id AND t.quiet "
                + "AND (r.segment_count <> t.announced_count OR r.change_seq <> t.announced_seq)")
                .execute().replaceWithVoid();
    }

    public Uni<Void> announced(SqlClient transaction, UUID recording, int count, int changeSeq) {
        return transaction.preparedQuery("UPDATE webhook_transcripts SET announced_count = $2, announced_seq = $3, "
                + "announced_at = now() WHERE recording_id = $1")
                .execute(Tuple.of(recording, count, changeSeq)).replaceWithVoid();
    }

    public Uni<Void> forgetTranscript(SqlClient transaction, UUID recording) {
        return transaction.preparedQuery("DELETE FROM webhook_transcripts WHERE recording_id = $1")
                .execute(Tuple.of(recording)).replaceWithVoid();
    }

    // Attempts

    /**
     * A delivery claimed for an attempt, with what signing and sending it takes, and the claim's token: only the
     * holder of the claim writes the outcome (a replica whose claim lapsed and was taken again writes nothing).
     */
    public record Attempt(UUID id, UUID endpointId, long projectId, String eventType, String body, int attempts,
            String url, String secret, String previousSecret, UUID claimToken) {
    }

    /**
     * Claims due deliveries of enabled endpoints, oldest due first, skipping {@code busy} endpoints and
     * {@code busyProjects}, for {@code lease}: a claim its replica did not settle in that time (it died) is taken
     * again.
     */
    public Uni<List<Attempt>> claimAttempts(int limit, UUID[] busy, Long[] busyProjects, Duration lease) {
        return pool.preparedQuery("""
                        SELECT x.id FROM webhook_deliveries x
                        JOIN webhook_endpoints xe ON xe.id = x.endpoint_id AND xe.enabled
                        WHERE x.status IN ('pending', 'failed') AND x.next_attempt_at <= now()
                          AND (x.claimed_until IS NULL OR x.claimed_until < now())
                          AND NOT (x.endpoint_id = ANY ($2)) AND NOT (xe.team_id = ANY ($3))
                        ORDER BY x.next_attempt_at LIMIT $1""")
                .execute(Tuple.of(limit, busy, busyProjects))
                .chain(candidates -> {
                    List<UUID> ids = new ArrayList<>(candidates.size());
                    candidates.forEach(row -> ids.add(row.getUUID("id")));
                    return ids.isEmpty() ? Uni.createFrom().item(List.<Attempt>of())
                            : claim(ids.toArray(UUID[]::new), lease);
                });
    }

    /**
     * Takes the candidates whose claim is still free, each under its row lock: a replica that claimed one meanwhile
     * made its claim first, and this statement, waiting for it, finds the claim taken and leaves the row. One token
     * for the whole claim, made here: Citus refuses a volatile function in an UPDATE over several shards.
     */
    private Uni<List<Attempt>> claim(UUID[] ids, Duration lease) {
        return pool.preparedQuery("""
                        UPDATE webhook_deliveries d SET claimed_until = now() + make_interval(secs => $2),
                            claim_token = $3
                        FROM webhook_endpoints e
                        WHERE e.id = d.endpoint_id AND e.enabled AND d.id = ANY ($1)
                          AND d.status IN ('pending', 'failed') AND d.next_attempt_at <= now()
                          AND (d.claimed_until IS NULL OR d.claimed_until < now())
                        RETURNING d.id, d.endpoint_id, e.team_id, d.event_type, d.body, d.attempts, d.next_attempt_at,
                            e.url, e.secret, e.previous_secret, e.previous_secret_until, d.claim_token""")
                .execute(Tuple.of(ids, (double) lease.toSeconds(), UUID.randomUUID())).map(rows -> {
                    List<Row> claimed = new ArrayList<>();
                    rows.forEach(claimed::add);
                    // oldest due first, as they were chosen
                    claimed.sort(Comparator.comparing(row -> row.getOffsetDateTime("next_attempt_at")));
                    // against this replica's clock: Citus refuses now() in the RETURNING of an UPDATE over several
                    // shards, and a skew of seconds only moves the end of a rotation's overlap by as much
                    OffsetDateTime now = OffsetDateTime.now();
                    return claimed.stream().map(row -> new Attempt(row.getUUID("id"), row.getUUID("endpoint_id"),
                            row.getLong("team_id"), row.getString("event_type"), row.getString("body"),
                            row.getInteger("attempts"), row.getString("url"), row.getString("secret"),
                            row.getOffsetDateTime("previous_secret_until") != null
                                    && row.getOffsetDateTime("previous_secret_until").isAfter(now)
                                            ? row.getString("previous_secret") : null,
                            row.getUUID("claim_token"))).toList();
                });
    }

    /** Gives claims back unattempted (their endpoint or project has as many attempts in flight as it may). */
    public Uni<Void> release(List<Attempt> claimed) {
        return pool.preparedQuery("UPDATE webhook_deliveries SET claimed_until = NULL, claim_token = NULL "
                + "WHERE id = ANY ($1) AND claim_token = ANY ($2)")
                .execute(Tuple.of(claimed.stream().map(Attempt::id).toArray(UUID[]::new),
                        claimed.stream().map(Attempt::claimToken).toArray(UUID[]::new)))
                .replaceWithVoid();
    }

    public Uni<Void> succeeded(Attempt attempt, int status) {
        return pool.preparedQuery("UPDATE webhook_deliveries SET status = 'succeeded', attempts = attempts + 1, "
                + "last_status_code = $3, last_error = NULL, next_attempt_at = NULL, claimed_until = NULL, "
                + "claim_token = NULL, delivered_at = now() WHERE id = $1 AND claim_token = $2")
                .execute(Tuple.of(attempt.id(), attempt.claimToken(), status)).replaceWithVoid();
    }

    /** A failed attempt: another after {@code wait}, or none ({@code wait} null: abandoned). */
    public Uni<Void> failed(Attempt attempt, Integer status, String error, Duration wait) {
        return pool.preparedQuery("UPDATE webhook_deliveries SET attempts = attempts + 1, last_status_code = $3, "
                + "last_error = $4, claimed_until = NULL, claim_token = NULL, "
                + "status = CASE WHEN $5::float8 IS NULL THEN 'abandoned' ELSE 'failed' END, "
                + "next_attempt_at = now() + make_interval(secs => $5::float8) WHERE id = $1 AND claim_token = $2")
                .execute(Tuple.of(attempt.id(), attempt.claimToken(), status, error,
                        wait == null ? null : wait.toMillis() / 1000.0))
                .replaceWithVoid();
    }

    /** The receiver answered 410: the endpoint is disabled as gone, and its deliveries abandoned. */
    public Uni<Void> gone(Attempt attempt, int status) {
        return pool.withTransaction(transaction -> transaction.preparedQuery("UPDATE webhook_deliveries SET "
                + "attempts = attempts + 1, last_status_code = $3, last_error = 'the receiver answered 410 Gone', "
                + "status = 'abandoned', next_attempt_at = NULL, claimed_until = NULL, claim_token = NULL "
                + "WHERE id = $1 AND claim_token = $2").execute(Tuple.of(attempt.id(), attempt.claimToken(), status))
                .chain(held -> held.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : transaction.preparedQuery("UPDATE webhook_endpoints SET enabled = false, "
                                + "disabled_reason = 'gone', updated_at = now() WHERE id = $1")
                                .execute(Tuple.of(attempt.endpointId()))
                                .chain(() -> transaction.preparedQuery("UPDATE webhook_deliveries SET status = "
                                        + "'abandoned', next_attempt_at = NULL WHERE endpoint_id = $1 "
                                        + "AND status IN ('pending', 'failed')")
                                        .execute(Tuple.of(attempt.endpointId())))
                                .replaceWithVoid()));
    }

    /**
     * Endpoints whose project is gone, once they have nothing left to deliver: found among the endpoints, then
     * checked against their deliveries, then deleted. Three statements, because Citus refuses a deletion from a
     * reference table that reads a distributed one. A delivery queued for one of them in between is deleted with it,
     * as it was by the single statement under a concurrent dispatch: its project is gone.
     */
    private Uni<Void> pruneOrphanEndpoints() {
        return pool.query("SELECT e.id FROM webhook_endpoints e WHERE NOT EXISTS (SELECT 1 FROM projects p "
                + "WHERE p.id = e.team_id)").execute().chain(orphans -> {
                    Set<UUID> ids = new HashSet<>();
                    orphans.forEach(row -> ids.add(row.getUUID(0)));
                    if (ids.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return pool.preparedQuery("SELECT DISTINCT d.endpoint_id FROM webhook_deliveries d "
                            + "WHERE d.endpoint_id = ANY ($1) AND d.status IN ('pending', 'failed')")
                            .execute(Tuple.of(ids.toArray(UUID[]::new))).chain(busy -> {
                                busy.forEach(row -> ids.remove(row.getUUID(0)));
                                return ids.isEmpty() ? Uni.createFrom().voidItem()
                                        : pool.preparedQuery("DELETE FROM webhook_endpoints WHERE id = ANY ($1)")
                                                .execute(Tuple.of(ids.toArray(UUID[]::new))).replaceWithVoid();
                            });
                });
    }

    /** Seconds since the oldest delivery still to be made was created; 0 when there is none. */
    public Uni<Double> oldestPendingSeconds() {
        return pool.query("SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM webhook_deliveries "
                + "WHERE status IN ('pending', 'failed')").execute()
                .map(rows -> rows.iterator().next().getNumeric(0).doubleValue());
    }

    /**
     * The retention sweep's part: deliveries older than {@code days}, endpoints whose project is gone once they
     * have nothing left to deliver, and announcement rows of deleted recordings. Answers the deliveries removed.
     */
    public Uni<Integer> prune(int days) {
        return pool.preparedQuery("DELETE FROM webhook_deliveries WHERE created_at < now() - make_interval(days => $1)")
                .execute(Tuple.of(days)).map(rows -> rows.rowCount())
                .call(this::pruneOrphanEndpoints)
                .call(() -> pool.query("DELETE FROM webhook_transcripts t WHERE NOT EXISTS (SELECT 1 FROM "
                        + "desktop_recordings r WHERE r.id = t.recording_id)").execute())
                .call(() -> pool.query("UPDATE webhook_endpoints SET previous_secret = NULL, "
                        + "previous_secret_until = NULL WHERE previous_secret_until <= now()").execute());
    }
}
