package dev.recordings.mcp;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.recordings.auth.ApiCaller;
import dev.recordings.error.ApiException;
import dev.recordings.error.ErrorAnswers;
import dev.recordings.http.KeyRateLimit;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The REST API's limits on every MCP request, before the MCP server sees it: each request (initialize and
 * tools/list as much as a tool call) takes from its key's rate limit; a key holds at most {@value #SESSIONS_PER_KEY}
 * sessions and {@value #STREAMS_PER_KEY} GET streams on a replica; and a session belongs to the key that opened it
 * (or, for a session begun on another replica, the first key that uses it here): another key naming it gets 404.
 * A session unused for {@link #SESSION_IDLE} no longer counts.
 */
@ApplicationScoped
public class McpGuard {

    static final int SESSIONS_PER_KEY = 32;
    static final int STREAMS_PER_KEY = 4;
    static final Duration SESSION_IDLE = Duration.ofMinutes(30);
    private static final String SESSION_HEADER = "Mcp-Session-Id";

    /** A session's key, and when it was last used (System.nanoTime). */
    private record Owner(UUID key, long usedAt) {
    }

    private final Map<String, Owner> sessions = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> streams = new ConcurrentHashMap<>();
    private final KeyRateLimit rateLimit;
    private final ErrorAnswers errors;

    public McpGuard(KeyRateLimit rateLimit, ErrorAnswers errors) {
        this.rateLimit = rateLimit;
        this.errors = errors;
    }

    /**
     * After Quarkus's authentication and authorization handlers (orders -200 and -100, from their priorities), before
     * the MCP server's own route (an unordered framework route, so among the first positive orders).
     */
    private static final int ORDER = -SecurityHandlerPriorities.AUTHORIZATION / 2;

    void register(@Observes Router router) {
        // "/mcp/*" matches /mcp itself too
        router.route("/mcp/*").order(ORDER).handler(this::guard);
    }

    private void guard(RoutingContext context) {
        Uni<SecurityIdentity> identity = context.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (identity == null) {
            context.next();
            return;
        }
        identity.subscribe().with(known -> admit(context, known), failure -> context.next());
    }

    private void admit(RoutingContext context, SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            // refused by the permission on /mcp, in the API's words
            context.next();
            return;
        }
        ApiCaller caller = ApiCaller.of(identity);
        UUID key = caller.keyId();
        ApiException refused = rateLimit.take(caller);
        if (refused == null && key != null) {
            refused = session(context, key);
        }
        if (refused == null && key != null && context.request().method() == HttpMethod.GET) {
            refused = stream(context, key);
        }
        if (refused != null) {
            errors.send(context, refused);
            return;
        }
        context.next();
    }

    private ApiException session(RoutingContext context, UUID key) {
        String session = context.request().getHeader(SESSION_HEADER);
        long now = System.nanoTime();
        if (session == null) {
            if (context.request().method() != HttpMethod.POST) {
                return null;
            }
            if (openSessions(key, now) >= SESSIONS_PER_KEY) {
                return tooManySessions();
            }
            context.addHeadersEndHandler(written -> {
                String opened = context.response().headers().get(SESSION_HEADER);
                if (opened != null) {
                    sessions.put(opened, new Owner(key, System.nanoTime()));
                }
            });
            return null;
        }
        Owner known = sessions.get(session);
        if (known == null) {
            // begun on another replica (or an id the client made up, which auto-init serves as a new session): it
            // counts toward the key's sessions here, so made-up ids cannot fill this replica's memory
            if (openSessions(key, now) >= SESSIONS_PER_KEY) {
                return tooManySessions();
            }
            known = sessions.putIfAbsent(session, new Owner(key, now));
        }
        if (known != null) {
            if (!known.key().equals(key)) {
                return ApiException.notFound("Not found.");
            }
            sessions.replace(session, known, new Owner(key, now));
        }
        if (context.request().method() == HttpMethod.DELETE) {
            context.addEndHandler(ended -> sessions.remove(session));
        }
        return null;
    }

    private static ApiException tooManySessions() {
        return ApiException.tooMany("This key has " + SESSIONS_PER_KEY + " MCP sessions open; end one (DELETE /mcp) "
                + "or let one expire.", 60);
    }

    private long openSessions(UUID key, long now) {
        sessions.values().removeIf(owner -> now - owner.usedAt() > SESSION_IDLE.toNanos());
        return sessions.values().stream().filter(owner -> owner.key().equals(key)).count();
    }

    private ApiException stream(RoutingContext context, UUID key) {
        AtomicInteger open = streams.computeIfAbsent(key, id -> new AtomicInteger());
        if (open.incrementAndGet() > STREAMS_PER_KEY) {
            open.decrementAndGet();
            return ApiException.tooMany("This key has " + STREAMS_PER_KEY + " MCP streams open on this replica; close "
                    + "one first.", 10);
        }
        context.addEndHandler(ended -> open.decrementAndGet());
        return null;
    }
}
