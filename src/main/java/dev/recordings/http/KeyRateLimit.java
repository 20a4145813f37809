package dev.recordings.http;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.recordings.auth.ApiCaller;
import dev.recordings.config.RecordingsConfig;
import dev.recordings.error.ApiException;
import dev.recordings.error.ErrorAnswers;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * At most {@code recordings.rate-limit-per-key} API requests per second per key on this replica, in bursts of up to
 * twice that, checked once the key is known and before the request touches the database: a throttled request is a
 * 429 with Retry-After and changes nothing. Bucket4j's token bucket is the contract's rule as it stands (a rate, a
 * burst, and the wait until the next token for Retry-After); SmallRye Fault Tolerance's rate limit guards a method
 * as a whole, not each caller, and has no burst. Health, metrics, OpenAPI and the admin API have no key and are not
 * limited. MCP tool calls take from the same buckets ({@link #take}).
 */
@ApplicationScoped
public class KeyRateLimit {

    /** One bucket per key used on this replica: keys are provisioned by operators, so there are few of them. */
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();
    private final int perSecond;
    private final Counter allowed;
    private final Counter throttled;
    /** The request's identity (a proxy to it): set by the proactive authentication before any filter runs. */
    private final SecurityIdentity identity;

    public KeyRateLimit(RecordingsConfig config, MeterRegistry metrics, SecurityIdentity identity) {
        this.perSecond = config.rateLimitPerKey();
        this.identity = identity;
        this.allowed = outcome(metrics, "allowed");
        this.throttled = outcome(metrics, "throttled");
    }

    private static Counter outcome(MeterRegistry metrics, String outcome) {
        return Counter.builder("recordings.rate_limit.requests").tag("outcome", outcome)
                .description("API requests checked against their key's rate limit, by outcome").register(metrics);
    }

    @ServerRequestFilter
    public Response limit() {
        ApiCaller caller = identity == null || identity.isAnonymous() ? null : ApiCaller.of(identity);
        ApiException refused = caller == null ? null : take(caller);
        return refused == null ? null : ErrorAnswers.response(refused);
    }

    /** Takes one request of the caller's key from its bucket: null when allowed, else the 429 to answer. */
    public ApiException take(ApiCaller caller) {
        if (caller.keyId() == null) {
            return null;
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(caller.keyId(), key -> newBucket())
                .tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            allowed.increment();
            return null;
        }
        throttled.increment();
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        return ApiException.throttled(seconds);
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(2L * perSecond)
                .refillGreedy(perSecond, Duration.ofSeconds(1)).build()).build();
    }
}
