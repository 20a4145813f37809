package dev.recordings.recording.rest;

import dev.recordings.error.ApiException;
import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingFilter;

/** The list's query parameters, checked strictly: a malformed value is a 400, never a silent default. */
public record ListParameters(int limit, long offset, RecordingFilter filter) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    static ListParameters parse(String limit, String offset, String userId, String platform, String status,
            String search) {
        long parsedLimit = limit == null ? DEFAULT_LIMIT : integer(limit, "limit", 1);
        long parsedOffset = offset == null ? 0 : integer(offset, "offset", 0);
        Long parsedUserId = userId == null ? null : integer(userId, "user_id", Long.MIN_VALUE);
        String trimmedSearch = text(search, "search");
        trimmedSearch = trimmedSearch == null || trimmedSearch.isBlank() ? null : trimmedSearch.strip();
        return new ListParameters((int) Math.min(parsedLimit, MAX_LIMIT), parsedOffset,
                new RecordingFilter(parsedUserId, choice(platform, "platform"), choice(status, "status"),
                        trimmedSearch));
    }

    /**
     * A free-text parameter as given (null when absent); one holding a NUL character, which PostgreSQL cannot
     * store or compare in text, is a 400 naming the parameter.
     */
    public static String text(String value, String attr) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw ApiException.validation("invalid_input", "Null characters are not allowed.", attr);
        }
        return value;
    }

    public static long integer(String value, String attr, long min) {
        long parsed;
        try {
            parsed = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.validation("invalid_input", "A valid integer is required.", attr);
        }
        if (parsed < min) {
            throw ApiException.validation("min_value", "Ensure this value is greater than or equal to " + min + ".",
                    attr);
        }
        return parsed;
    }

    public static String choice(String value, String attr) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (!(attr.equals("platform") ? Recording.PLATFORMS : Recording.STATUSES).contains(trimmed)) {
            throw ApiException.validation("invalid_choice", "Select a valid choice. " + trimmed
                    + " is not one of the available choices.", attr);
        }
        return trimmed;
    }
}
