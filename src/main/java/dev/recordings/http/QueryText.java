package dev.recordings.http;

import dev.recordings.error.ApiException;

/** Free text from a query parameter (or a tool argument), as SQL may take it. */
public final class QueryText {

    private QueryText() {
    }

    /**
     * The value as given (null when absent); one holding a NUL character, which PostgreSQL can neither store nor
     * compare in text, is a 400 naming the parameter.
     */
    public static String of(String value, String attr) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw ApiException.validation("invalid_input", "Null characters are not allowed.", attr);
        }
        return value;
    }
}
