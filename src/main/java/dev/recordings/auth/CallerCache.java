package dev.recordings.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.recordings.db.DatabasePools;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The callers of the keys used on this replica, so that a request asks the database nothing before its own
 * statement. A revoked key, a removed membership or any other change to keys and memberships is refused on every
 * replica within a second:
 * <ul>
 * <li>such a change moves {@code auth_version} in its own transaction ({@link AuthVersion});
 * this replica reads it every {@link #CHECK_EVERY} and forgets every caller when it moved; the provisioning API
 * also forgets them at once on the replica that made the change;</li>
 * <li>a caller is served from memory only while the last check is younger than {@link #TRUSTED_FOR}: when checks
 * fail (the database unreachable), every request looks its key up again;</li>
 * <li>a lookup that was under way when the callers were forgotten is not kept: it may have read the state from
 * before the change.</li>
 * </ul>
 * Unknown keys are never kept, so only provisioned keys take memory.
 */
@ApplicationScoped
public class CallerCache {

    static final Duration CHECK_EVERY = Duration.ofMillis(200);
    static final Duration TRUSTED_FOR = Duration.ofMillis(700);
    private static final Logger LOG = Logger.getLogger(CallerCache.class);

    private final Map<String, ApiCaller> callers = new ConcurrentHashMap<>();
    /** Moves each time the callers are forgotten, so that a lookup can tell it started before. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean checking = new AtomicBoolean();
    private final ApiKeyRepository keys;
    private final DatabasePools pools;
    private final Vertx vertx;
    private final Counter checksFailed;
    private final Counter checksDone;
    private final Event<AccessChanged> accessChanged;
    private volatile long warnedAt;
    private volatile long seenVersion = Long.MIN_VALUE;
    private volatile long checkedAt;
    private volatile boolean checked;
    private long timer = -1;

    public CallerCache(ApiKeyRepository keys, DatabasePools pools, Vertx vertx, MeterRegistry metrics,
            Event<AccessChanged> accessChanged) {
        this.keys = keys;
        this.accessChanged = accessChanged;
        this.pools = pools;
        this.vertx = vertx;
        this.checksDone = Counter.builder("recordings.auth.version_checks").tag("outcome", "ok")
                .description("Checks of key and membership changes by the key cache").register(metrics);
        this.checksFailed = Counter.builder("recordings.auth.version_checks").tag("outcome", "failed")
                .description("Checks of key and membership changes by the key cache").register(metrics);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(CHECK_EVERY.toMillis(), tick -> check());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The caller a key hash stands for; null for no such key. */
    public Uni<ApiCaller> caller(String secureValue) {
        if (trusted()) {
            ApiCaller known = callers.get(secureValue);
            if (known != null) {
                return Uni.createFrom().item(known);
            }
        }
        long lookedUpIn = generation.get();
        return keys.findCaller(secureValue).invoke(caller -> {
            if (caller != null && trusted()) {
                callers.put(secureValue, caller);
                if (generation.get() != lookedUpIn) {
                    callers.remove(secureValue, caller);
                }
            }
        });
    }

    /**
     * Forgets every caller, and tells whatever holds access beyond a request ({@link AccessChanged}): after a change
     * to keys or memberships made here has committed, or seen in {@code auth_version}.
     */
    public void forget() {
        generation.incrementAndGet();
        callers.clear();
        accessChanged.fire(new AccessChanged());
    }

    private boolean trusted() {
        return checked && System.nanoTime() - checkedAt < TRUSTED_FOR.toNanos();
    }

    private void check() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        // on the control pool: a pool saturated by requests must not hold back a revocation
        pools.control().query(AuthVersion.READ).execute()
                .map(rows -> rows.iterator().next().getLong(0))
                .subscribe().with(version -> {
                    if (version != seenVersion) {
                        forget();
                        seenVersion = version;
                    }
                    checkedAt = started;
                    checked = true;
                    checksDone.increment();
                    checking.set(false);
                }, failure -> {
                    checksFailed.increment();
                    // at most one line per 10 s: the check runs five times a second
                    if (System.nanoTime() - warnedAt > 10_000_000_000L) {
                        warnedAt = System.nanoTime();
                        LOG.warnf("The check of key and membership changes failed (keys are looked up on every "
                                + "request until it succeeds): %s", failure.getMessage());
                    }
                    checking.set(false);
                });
    }
}
