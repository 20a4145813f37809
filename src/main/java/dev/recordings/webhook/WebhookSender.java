package dev.recordings.webhook;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.svix.Webhook;

import dev.recordings.config.RecordingsConfig;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Attempts due deliveries: claims them (any replica, each by one at a time), checks the address again, signs with
 * Standard Webhooks headers, posts without following redirects, and records the outcome. A receiver can cost an
 * attempt and nothing more: the whole attempt (connect, send, the complete answer) has a deadline, at most
 * {@value #MOST_REPLY_BYTES} bytes of its answer are read, and at most {@value #PER_ENDPOINT} attempts per endpoint
 * and {@value #PER_PROJECT} per project are in flight on a replica, so one project's slow receivers hold back only
 * its own deliveries. An outcome is written only under the claim it was attempted with.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    static final int PER_ENDPOINT = 4;
    private static final int IN_FLIGHT = 64;
    private static final int CLAIM_AT_MOST = 16;
    /** A project's share of the replica's attempts in flight: a quarter, so three others always have room. */
    static final int PER_PROJECT = IN_FLIGHT / 4;
    /** Only the status and Retry-After of an answer are used; its body is read (and dropped) up to this much. */
    static final int MOST_REPLY_BYTES = 4 * 1024;
    /** The longest Retry-After honoured; a receiver cannot park a delivery for longer than the schedule would. */
    static final Duration MOST_RETRY_AFTER = Duration.ofHours(1);

    private final Tracer tracer;
    private final WebhookStore store;
    private final AddressGuard guard;
    private final Vertx vertx;
    private final HttpClient client;
    private final Duration timeout;
    private final Duration lease;
    private final List<Duration> schedule;
    private final MeterRegistry metrics;
    private final Timer attemptLatency;
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> inFlightByProject = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicLong oldestPending = new AtomicLong();
    private final AtomicLong outboxWaiting = new AtomicLong();
    private final AtomicLong outboxOldest = new AtomicLong();
    private final AtomicLong outboxSetAside = new AtomicLong();
    private long lastGauge;

    public WebhookSender(WebhookStore store, AddressGuard guard, io.vertx.mutiny.core.Vertx vertx,
            RecordingsConfig config, MeterRegistry metrics, Tracer tracer) {
        this.tracer = tracer;
        this.store = store;
        this.guard = guard;
        this.timeout = config.webhooks().timeout();
        // a claim outlives the longest attempt, so only a replica that died leaves one to expire
        this.lease = timeout.plusSeconds(40);
        this.schedule = config.webhooks().retrySchedule();
        this.metrics = metrics;
        this.vertx = vertx.getDelegate();
        this.client = this.vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis())
                .setIdleTimeout((int) timeout.toSeconds() + 1).setForceSni(true).setMaxPoolSize(IN_FLIGHT));
        this.attemptLatency = Timer.builder("recordings.webhooks.attempt").description("Webhook delivery attempts")
                .register(metrics);
        metrics.gauge("recordings.webhooks.oldest_pending_seconds", oldestPending);
        // the outbox of recording changes, before they are deliveries (read every 10 s with the gauge above)
        metrics.gauge("recordings.webhooks.outbox.events", outboxWaiting);
        metrics.gauge("recordings.webhooks.outbox.oldest_seconds", outboxOldest);
        metrics.gauge("recordings.webhooks.outbox.set_aside_events", outboxSetAside);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Claims what is due and this replica has room for, and starts the attempts (it does not wait for them): on the
     * dispatcher's tick, and again as each attempt ends, so an endpoint's deliveries flow at the pace its receiver
     * answers rather than {@value #PER_ENDPOINT} a tick. One claim at a time.
     */
    Uni<Void> attemptDue() {
        if (!claiming.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return claimDue().eventually(() -> claiming.set(false));
    }

    private Uni<Void> claimDue() {
        Uni<Void> gauge = Uni.createFrom().voidItem();
        if (System.nanoTime() - lastGauge > TimeUnit.SECONDS.toNanos(10)) {
            lastGauge = System.nanoTime();
            gauge = store.oldestPendingSeconds().invoke(seconds -> oldestPending.set(Math.round(seconds)))
                    .chain(store::outboxDepth).invoke(depth -> {
                        outboxWaiting.set(depth.waiting());
                        outboxOldest.set(Math.round(depth.oldestSeconds()));
                        outboxSetAside.set(depth.setAside());
                    }).replaceWithVoid();
        }
        int room = Math.min(CLAIM_AT_MOST, IN_FLIGHT - total.get());
        if (room <= 0) {
            return gauge;
        }
        UUID[] busy = inFlight.entrySet().stream().filter(entry -> entry.getValue().get() >= PER_ENDPOINT)
                .map(Map.Entry::getKey).toArray(UUID[]::new);
        Long[] busyProjects = inFlightByProject.entrySet().stream()
                .filter(entry -> entry.getValue().get() >= PER_PROJECT).map(Map.Entry::getKey).toArray(Long[]::new);
        return gauge.chain(() -> store.claimAttempts(room, busy, busyProjects, lease)).chain(claimed -> {
            List<WebhookStore.Attempt> giveBack = new ArrayList<>();
            for (WebhookStore.Attempt attempt : claimed) {
                AtomicInteger endpoint = inFlight.computeIfAbsent(attempt.endpointId(), id -> new AtomicInteger());
                AtomicInteger project = inFlightByProject.computeIfAbsent(attempt.projectId(),
                        id -> new AtomicInteger());
                int onEndpoint = endpoint.incrementAndGet();
                int onProject = project.incrementAndGet();
                if (onEndpoint > PER_ENDPOINT || onProject > PER_PROJECT) {
                    endpoint.decrementAndGet();
                    project.decrementAndGet();
                    giveBack.add(attempt);
                    continue;
                }
                total.incrementAndGet();
                attempt(attempt).subscribe().with(done -> finished(attempt), failure -> {
                    LOG.warnf("A webhook delivery's outcome could not be recorded (its claim expires and it is "
                            + "attempted again): %s", failure.toString());
                    finished(attempt);
                });
            }
            return giveBack.isEmpty() ? Uni.createFrom().voidItem() : store.release(giveBack);
        });
    }

    private void finished(WebhookStore.Attempt attempt) {
        total.decrementAndGet();
        inFlight.computeIfPresent(attempt.endpointId(), (id, count) -> count.decrementAndGet() <= 0 ? null : count);
        inFlightByProject.computeIfPresent(attempt.projectId(),
                (id, count) -> count.decrementAndGet() <= 0 ? null : count);
        attemptDue().subscribe().with(done -> {
        }, failure -> LOG.debugf("A claim of webhook deliveries failed: %s", failure.toString()));
    }

    /** An attempt, as a trace of its own (a no-op span while traces are off). */
    private Uni<Void> attempt(WebhookStore.Attempt attempt) {
        Span span = tracer.spanBuilder("webhook " + attempt.eventType()).setSpanKind(SpanKind.CLIENT).setNoParent()
                .setAttribute("webhook.delivery_id", attempt.id().toString())
                .setAttribute("webhook.endpoint_id", attempt.endpointId().toString())
                .setAttribute("webhook.attempt", attempt.attempts() + 1L).startSpan();
        return attemptOnce(attempt).onTermination().invoke(span::end);
    }

    private Uni<Void> attemptOnce(WebhookStore.Attempt attempt) {
        URI url = URI.create(attempt.url());
        long started = System.nanoTime();
        Uni<Reply> reply = guard.allowsScheme(url) ? guard.resolve(url).chain(address -> send(attempt, url, address))
                : Uni.createFrom().failure(new ReceiverFault("its scheme is not allowed (only https)"));
        return reply.onItemOrFailure().transformToUni((response, failure) -> {
                    attemptLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    if (failure != null) {
                        String error = failure instanceof AddressGuard.Refused refused
                                ? "the URL cannot receive webhooks: " + refused.getMessage()
                                : failure.getMessage() == null ? failure.getClass().getSimpleName()
                                        : failure.getMessage();
                        return failed(attempt, null, error, null);
                    }
                    int status = response.status();
                    if (status >= 200 && status < 300) {
                        count(attempt, "succeeded");
                        return store.succeeded(attempt, status);
                    }
                    if (status == 410) {
                        count(attempt, "gone");
                        return store.gone(attempt, status);
                    }
                    String error = status >= 300 && status < 400 ? "redirects are not followed"
                            : "the receiver answered " + status;
                    Duration asked = status == 429 || status == 503 ? retryAfter(response.retryAfter()) : null;
                    return failed(attempt, status, error, asked);
                });
    }

    /** What an attempt keeps of the receiver's answer. */
    private record Reply(int status, String retryAfter) {
    }

    /** An attempt that failed for a reason of the receiver's (too slow, too long), said in the delivery's log. */
    private static final class ReceiverFault extends RuntimeException {
        ReceiverFault(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Posts the event to the address that was checked (with the URL's host for the Host header and TLS). Written on
     * Vert.x's core client rather than its web client, which keeps a whole answer in memory and knows only an idle
     * timeout: here the deadline covers the whole attempt, and an answer past its bound resets the connection.
     */
    private Uni<Reply> send(WebhookStore.Attempt attempt, URI url, java.net.InetAddress address) {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        long timestamp = System.currentTimeMillis() / 1000;
        String id = attempt.id().toString();
        String signature = sign(attempt.secret(), id, timestamp, attempt.body());
        if (attempt.previousSecret() != null) {
            signature += " " + sign(attempt.previousSecret(), id, timestamp, attempt.body());
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress())).setHost(url.getHost())
                .setPort(port).setURI(path).setSsl(https).setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis()).putHeader("User-Agent", "desktop-recordings")
                .putHeader("Content-Type", "application/json").putHeader("webhook-id", id)
                .putHeader("webhook-timestamp", Long.toString(timestamp)).putHeader("webhook-signature", signature);
        return Uni.createFrom().deferred(() -> {
            Promise<Reply> reply = Promise.promise();
            AtomicReference<HttpClientRequest> open = new AtomicReference<>();
            long deadline = vertx.setTimer(timeout.toMillis(), expired -> {
                if (reply.tryFail(new ReceiverFault("no complete answer within " + timeout.toMillis() + " ms"))) {
                    HttpClientRequest request = open.get();
                    if (request != null) {
                        request.reset();
                    }
                }
            });
            reply.future().onComplete(done -> vertx.cancelTimer(deadline));
            client.request(options).onComplete(created -> {
                if (created.failed()) {
                    reply.tryFail(created.cause());
                    return;
                }
                HttpClientRequest request = created.result();
                open.set(request);
                if (reply.future().isComplete()) {
                    request.reset();
                    return;
                }
                request.response().onComplete(answered -> {
                    if (answered.failed()) {
                        reply.tryFail(answered.cause());
                        return;
                    }
                    var response = answered.result();
                    long[] read = { 0 };
                    response.handler(chunk -> {
                        read[0] += chunk.length();
                        if (read[0] > MOST_REPLY_BYTES && reply.tryFail(new ReceiverFault("the receiver's answer was "
                                + "longer than " + MOST_REPLY_BYTES + " bytes"))) {
                            request.reset();
                        }
                    });
                    response.exceptionHandler(reply::tryFail);
                    response.endHandler(end -> reply.tryComplete(new Reply(response.statusCode(),
                            response.getHeader("Retry-After"))));
                });
                request.end(Buffer.buffer(attempt.body())).onFailure(reply::tryFail);
            });
            return Uni.createFrom().completionStage(reply.future().toCompletionStage());
        });
    }

    /** Standard Webhooks v1, by the Svix library (Svix wrote the specification; the build has it for Recall.ai). */
    private static String sign(String secret, String id, long timestamp, String body) {
        try {
            return new Webhook(secret).sign(id, timestamp, body);
        } catch (Exception e) {
            throw new IllegalStateException("a webhook secret that cannot sign", e);
        }
    }

    /** Another attempt after the schedule's next wait (with jitter, never before {@code asked}), or abandoned. */
    private Uni<Void> failed(WebhookStore.Attempt attempt, Integer status, String error, Duration asked) {
        int made = attempt.attempts() + 1;
        if (made > schedule.size()) {
            count(attempt, "abandoned");
            return store.failed(attempt, status, error, null);
        }
        Duration wait = schedule.get(made - 1);
        wait = Duration.ofMillis((long) (wait.toMillis() * ThreadLocalRandom.current().nextDouble(0.9, 1.1)));
        if (asked != null && asked.compareTo(wait) > 0) {
            wait = asked;
        }
        count(attempt, "failed");
        return store.failed(attempt, status, error, wait);
    }

    /**
     * Retry-After in seconds or as an HTTP date, at most {@link #MOST_RETRY_AFTER}; null (the schedule's wait) when
     * absent, unreadable or absurd.
     */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Duration asked;
        try {
            long seconds = Long.parseLong(header.strip());
            if (seconds < 0) {
                return null;
            }
            asked = Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                asked = until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
        return asked.compareTo(MOST_RETRY_AFTER) > 0 ? MOST_RETRY_AFTER : asked;
    }

    private void count(WebhookStore.Attempt attempt, String outcome) {
        Counter.builder("recordings.webhooks.deliveries").description("Webhook delivery attempts by event type "
                + "and outcome").tag("type", attempt.eventType()).tag("outcome", outcome).register(metrics)
                .increment();
    }
}
