package dev.recordings.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The bearer value of one request, on its way to {@link ApiKeyIdentityProvider}. */
public class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String value;

    public ApiKeyAuthenticationRequest(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
