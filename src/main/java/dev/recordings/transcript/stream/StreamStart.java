package dev.recordings.transcript.stream;

import dev.recordings.error.ApiException;

/**
 * Where a live stream starts: the {@code Last-Event-ID} header a reconnecting client sends, else the {@code after}
 * query parameter, else 0; a count of segments the client already holds.
 */
public final class StreamStart {

    public static final String AFTER = "after";
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    private StreamStart() {
    }

    /** The position; a 400 naming the parameter when it is not a whole number of at least 0. */
    public static int parse(String lastEventId, String after) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            return position(lastEventId, LAST_EVENT_ID);
        }
        if (after != null) {
            return position(after, AFTER);
        }
        return 0;
    }

    private static int position(String value, String attr) {
        long position;
        try {
            position = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.validation("invalid_input", "A valid integer is required.", attr);
        }
        if (position < 0) {
            throw ApiException.validation("min_value", "Ensure this value is greater than or equal to 0.", attr);
        }
        // a position past any transcript's length is simply past its end
        return (int) Math.min(position, Integer.MAX_VALUE - LiveStream.READ_AT_MOST);
    }
}
