package dev.recordings.http;

import java.net.URI;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Every API path answers with or without a trailing slash, as the reference API's clients write both. */
public class TrailingSlashFilter {

    @ServerRequestFilter(preMatching = true)
    public void dropTrailingSlash(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        if (path.length() > 1 && path.endsWith("/") && path.startsWith("/api/")) {
            request.setRequestUri(UriBuilder.fromUri(uri).replacePath(path.substring(0, path.length() - 1)).build());
        }
    }
}
