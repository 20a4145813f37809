package dev.recordings.auth;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.recordings.error.ApiException;
import dev.recordings.error.ErrorAnswers;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads {@code Authorization: Bearer phx_…} on the recording routes and the MCP server's. Runs before routing (proactive
 * authentication), so bad credentials answer 401 before an unknown route or a wrong method is noticed, as the
 * contract orders the checks.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "bearer ";

    private final ErrorAnswers errors;

    public ApiKeyAuthenticationMechanism(ErrorAnswers errors) {
        this.errors = errors;
    }

    public static boolean isKeyProtected(String path) {
        return path.startsWith("/api/environments/") || path.startsWith("/api/projects/") || path.equals("/mcp")
                || path.startsWith("/mcp/");
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!isKeyProtected(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        String value = header.length() > BEARER.length() && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip()
                : "";
        if (!ApiKeys.looksLikeKey(value)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("malformed key"));
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyAuthenticationRequest(value), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    /** The challenge carries the contract's error body, telling a missing key from a rejected one. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        ApiException error = context.request().getHeader(HttpHeaderNames.AUTHORIZATION) == null
                ? ApiException.notAuthenticated()
                : ApiException.authenticationFailed("Invalid personal API key.");
        errors.send(context, error);
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
