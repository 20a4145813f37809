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

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.svix.Webhook;

import dev.recordings.config.RecordingsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Attempts due deliveries: claims them (any replica, each by one at a time), checks the address again, signs with
 * Standard Webhooks headers, posts without following redirects and with a bounded wait, and records the outcome.
 * At most {@value #PER_ENDPOINT} attempts per endpoint are in flight on a replica, so a slow receiver holds back
 * only its own deliveries.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    static final int PER_ENDPOINT = 4;
    private static final int IN_FLIGHT = 64;
    private static final int CLAIM_AT_MOST = 16;

    private final WebhookStore store;
    private final AddressGuard guard;
    private final WebClient client;
    private final Duration timeout;
    private final Duration lease;
    private final List<Duration> schedule;
    private final MeterRegistry metrics;
    private final Timer attemptLatency;
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicLong oldestPending = new AtomicLong();
    private long lastGauge;

    public WebhookSender(WebhookStore store, AddressGuard guard, io.vertx.mutiny.core.Vertx vertx,
            RecordingsConfig config, MeterRegistry metrics) {
        this.store = store;
        this.guard = guard;
        this.timeout = config.webhooks().timeout();
        // a claim outlives the longest attempt, so only a replica that died leaves one to expire
        this.lease = timeout.plusSeconds(40);
        this.schedule = config.webhooks().retrySchedule();
        this.metrics = metrics;
        Vertx core = vertx.getDelegate();
        this.client = WebClient.create(core, new WebClientOptions().setFollowRedirects(false)
                .setConnectTimeout((int) timeout.toMillis()).setForceSni(true).setUserAgent("desktop-recordings"));
        this.attemptLatency = Timer.builder("recordings.webhooks.attempt").description("Webhook delivery attempts")
                .register(metrics);
        metrics.gauge("recordings.webhooks.oldest_pending_seconds", oldestPending);
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
                    .replaceWithVoid();
        }
        int room = Math.min(CLAIM_AT_MOST, IN_FLIGHT - total.get());
        if (room <= 0) {
            return gauge;
        }
        UUID[] busy = inFlight.entrySet().stream().filter(entry -> entry.getValue().get() >= PER_ENDPOINT)
                .map(Map.Entry::getKey).toArray(UUID[]::new);
        return gauge.chain(() -> store.claimAttempts(room, busy, lease)).chain(claimed -> {
            List<UUID> giveBack = new ArrayList<>();
            for (WebhookStore.Attempt attempt : claimed) {
                AtomicInteger endpoint = inFlight.computeIfAbsent(attempt.endpointId(), id -> new AtomicInteger());
                if (endpoint.incrementAndGet() > PER_ENDPOINT) {
                    endpoint.decrementAndGet();
                    giveBack.add(attempt.id());
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
        attemptDue().subscribe().with(done -> {
        }, failure -> LOG.debugf("A claim of webhook deliveries failed: %s", failure.toString()));
    }

    private Uni<Void> attempt(WebhookStore.Attempt attempt) {
        URI url = URI.create(attempt.url());
        long started = System.nanoTime();
        return guard.resolve(url).chain(address -> send(attempt, url, address))
                .onItemOrFailure().transformToUni((response, failure) -> {
                    attemptLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    if (failure != null) {
                        String error = failure instanceof AddressGuard.Refused refused
                                ? "the URL's host is not a public address: " + refused.getMessage()
                                : failure.getMessage() == null ? failure.getClass().getSimpleName()
                                        : failure.getMessage();
                        return failed(attempt, null, error, null);
                    }
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        count(attempt, "succeeded");
                        return store.succeeded(attempt.id(), status);
                    }
                    if (status == 410) {
                        count(attempt, "gone");
                        return store.gone(attempt.id(), attempt.endpointId(), status);
                    }
                    String error = status >= 300 && status < 400 ? "redirects are not followed"
                            : "the receiver answered " + status;
                    Duration asked = status == 429 || status == 503 ? retryAfter(response.getHeader("Retry-After"))
                            : null;
                    return failed(attempt, status, error, asked);
                });
    }

    private Uni<HttpResponse<Buffer>> send(WebhookStore.Attempt attempt, URI url, java.net.InetAddress address) {
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
        // to the address that was checked, with the URL's host for the Host header and TLS
        var request = client.request(HttpMethod.POST, SocketAddress.inetSocketAddress(port, address.getHostAddress()),
                port, url.getHost(), path).ssl(https).followRedirects(false).timeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json").putHeader("webhook-id", id)
                .putHeader("webhook-timestamp", Long.toString(timestamp)).putHeader("webhook-signature", signature);
        return Uni.createFrom().completionStage(() -> request.sendBuffer(Buffer.buffer(attempt.body()))
                .toCompletionStage());
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
            return store.failed(attempt.id(), status, error, null);
        }
        Duration wait = schedule.get(made - 1);
        wait = Duration.ofMillis((long) (wait.toMillis() * ThreadLocalRandom.current().nextDouble(0.9, 1.1)));
        if (asked != null && asked.compareTo(wait) > 0) {
            wait = asked;
        }
        count(attempt, "failed");
        return store.failed(attempt.id(), status, error, wait);
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    private void count(WebhookStore.Attempt attempt, String outcome) {
        Counter.builder("recordings.webhooks.deliveries").description("Webhook delivery attempts by event type "
                + "and outcome").tag("type", attempt.eventType()).tag("outcome", outcome).register(metrics)
                .increment();
    }
}
