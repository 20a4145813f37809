package dev.recordings.http;

import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

/** The {@code next} and {@code previous} links of a page answer, as the reference API writes them. */
public final class PageLinks {

    private PageLinks() {
    }

    public static String next(UriInfo uri, int limit, long offset, long count) {
        long nextOffset = offset + limit;
        if (nextOffset >= count) {
            return null;
        }
        return pageLink(uri).replaceQueryParam("limit", limit)
                .replaceQueryParam("offset", nextOffset).build().toString();
    }

    public static String previous(UriInfo uri, int limit, long offset) {
        if (offset <= 0) {
            return null;
        }
        long previousOffset = Math.max(0, offset - limit);
        var builder = pageLink(uri).replaceQueryParam("limit", limit);
        builder = previousOffset == 0 ? builder.replaceQueryParam("offset") : builder.replaceQueryParam("offset",
                previousOffset);
        return builder.build().toString();
    }

    /** The request's URI as a page link names it: the path without a trailing slash, whichever form was asked. */
    private static UriBuilder pageLink(UriInfo uri) {
        UriBuilder builder = uri.getRequestUriBuilder();
        String path = uri.getRequestUri().getRawPath();
        return path.length() > 1 && path.endsWith("/") ? builder.replacePath(path.substring(0, path.length() - 1))
                : builder;
    }
}
