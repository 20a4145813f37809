package dev.recordings.auth;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Finds the key by its hash, through the replica's {@link CallerCache}: a revoked key stops working on this replica
 * at once when it was revoked here, and on every replica within a second.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final CallerCache callers;

    public ApiKeyIdentityProvider(CallerCache callers) {
        this.callers = callers;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        String secureValue = ApiKeys.hash(request.value());
        return callers.caller(secureValue)
                .onItem().ifNull().failWith(() -> new AuthenticationFailedException("unknown key"))
                .map(ApiKeyIdentityProvider::identity);
    }

    private static SecurityIdentity identity(ApiCaller caller) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(Long.toString(caller.userId())))
                .addRoles(Scopes.roles(caller.scopes().toArray(String[]::new)))
                .addAttribute(ApiCaller.ATTRIBUTE, caller)
                .build();
    }
}
