package dev.recordings.recording;

import java.util.UUID;

import dev.recordings.error.ApiException;
import dev.recordings.http.QueryText;
import dev.recordings.json.JsonFields;
import dev.recordings.transcript.SegmentSearch;

/** The query parameters of the search across recordings, checked as strictly as the list's. */
public final class SearchParameters {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private SearchParameters() {
    }

    public static SegmentSearch.Query parse(String q, String speaker, String recordingId, String platform, String status,
            String limit, String offset) {
        if (q == null) {
            throw JsonFields.required("q");
        }
        String phrase = QueryText.of(q, "q").strip();
        int length = phrase.codePointCount(0, phrase.length());
        if (length < SegmentSearch.SHORTEST) {
            throw ApiException.validation("min_length",
                    "Ensure this field has at least " + SegmentSearch.SHORTEST + " characters.", "q");
        }
        if (length > SegmentSearch.LONGEST) {
            throw ApiException.validation("max_length",
                    "Ensure this field has no more than " + SegmentSearch.LONGEST + " characters.", "q");
        }
        long parsedLimit = limit == null ? DEFAULT_LIMIT : ListParameters.integer(limit, "limit", 1);
        long parsedOffset = offset == null ? 0 : ListParameters.integer(offset, "offset", 0);
        return new SegmentSearch.Query(phrase, QueryText.of(speaker, "speaker"), uuid(recordingId),
                ListParameters.choice(platform, "platform"),
                ListParameters.choice(status, "status"), (int) Math.min(parsedLimit, MAX_LIMIT), parsedOffset);
    }

    private static UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("invalid_input", "Must be a valid UUID.", "recording_id");
        }
    }
}
