package dev.recordings.recording;

import dev.recordings.error.ApiException;
import dev.recordings.http.QueryText;
import dev.recordings.recording.Recording;
import dev.recordings.recording.RecordingFilter;

/** The list's query parameters, checked strictly: a malformed value is a 400, never a silent default. */
public record ListParameters(int limit, long offset, RecordingFilter filter) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static ListParameters parse(String limit, String offset, String userId, String platform, String status,
            String search) {
        long parsedLimit = limit == null ? DEFAULT_LIMIT : integer(limit, "limit", 1);
        long parsedOffset = offset == null ? 0 : integer(offset, "offset", 0);
        Long parsedUserId = userId == null ? null : integer(userId, "user_id", Long.MIN_VALUE);
        String trimmedSearch = search(search);
        return new ListParameters((int) Math.min(parsedLimit, MAX_LIMIT), parsedOffset,
                new RecordingFilter(parsedUserId, choice(platform, "platform"), choice(status, "status"),
                        trimmedSearch));
    }

    /** The transcript search of the list (or of MCP's list_recordings): trimmed, null when absent or blank. */
    public static String search(String value) {
        return QueryText.of(value, "search") == null || value.isBlank() ? null : value.strip();
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
        if (QueryText.of(value, attr) == null) {
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
