package dev.recordings.json;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Collection;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.error.ApiException;

/**
 * Reads one JSON value as the contract's field types, with no coercion: a field takes only its own JSON type.
 * Each failure names the field by its {@code attr} and the rule that failed, the way the reference API does.
 *
 * <p>Written by hand rather than with Bean Validation because the contract's codes (null vs blank vs invalid_input)
 * and its {@code attr} paths depend on the raw JSON type, which is gone once Jackson has bound a Java object.
 */
public final class JsonFields {

    private JsonFields() {
    }

    public static ApiException required(String attr) {
        return ApiException.validation("required", "This field is required.", attr);
    }

    public static ObjectNode object(JsonNode value, String attr) {
        if (value == null || !value.isObject()) {
            return failure("invalid_input", "Invalid data. Expected a dictionary, but got " + typeName(value) + ".",
                    attr);
        }
        return (ObjectNode) value;
    }

    /** Trimmed; null for a JSON null when {@code nullable}; "" for a blank string when {@code allowBlank}. */
    public static String string(JsonNode value, String attr, boolean nullable, boolean allowBlank, int maxLength) {
        if (isNull(value, attr, nullable)) {
            return null;
        }
        if (!value.isTextual()) {
            return failure("invalid_input", "Not a valid string.", attr);
        }
        String trimmed = value.textValue().strip();
        if (trimmed.indexOf('\u0000') >= 0) {
            return failure("invalid_input", "Null characters are not allowed.", attr);
        }
        if (trimmed.isEmpty() && !allowBlank) {
            return failure("blank", "This field may not be blank.", attr);
        }
        if (trimmed.length() > maxLength) {
            return failure("max_length", "Ensure this field has no more than " + maxLength + " characters.", attr);
        }
        return trimmed;
    }

    public static String choice(JsonNode value, String attr, boolean nullable, Collection<String> choices) {
        if (isNull(value, attr, nullable)) {
            return null;
        }
        String text = value.isTextual() ? value.textValue().strip() : value.toString();
        if (!value.isTextual() || !choices.contains(text)) {
            return failure("invalid_choice", "\"" + text + "\" is not a valid choice.", attr);
        }
        return text;
    }

    public static Long integer(JsonNode value, String attr, boolean nullable, long min, long max) {
        if (isNull(value, attr, nullable)) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            return failure("invalid_input", "A valid integer is required.", attr);
        }
        if (!value.canConvertToLong() || value.longValue() > max) {
            return failure("max_value", "Ensure this value is less than or equal to " + max + ".", attr);
        }
        if (value.longValue() < min) {
            return failure("min_value", "Ensure this value is greater than or equal to " + min + ".", attr);
        }
        return value.longValue();
    }

    /** Keeps the number as sent (integer or decimal), so that what is stored is what the client wrote. */
    public static JsonNode number(JsonNode value, String attr, boolean nullable, double min, double max) {
        if (isNull(value, attr, nullable)) {
            return value == null ? NullNode.getInstance() : value;
        }
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            return failure("invalid_input", "A valid number is required.", attr);
        }
        if (value.doubleValue() < min) {
            return failure("min_value", "Ensure this value is greater than or equal to " + format(min) + ".", attr);
        }
        if (value.doubleValue() > max) {
            return failure("max_value", "Ensure this value is less than or equal to " + format(max) + ".", attr);
        }
        return value;
    }

    public static Boolean bool(JsonNode value, String attr, boolean nullable) {
        if (isNull(value, attr, nullable)) {
            return null;
        }
        if (!value.isBoolean()) {
            return failure("invalid_input", "Must be a valid boolean.", attr);
        }
        return value.booleanValue();
    }

    public static UUID uuid(JsonNode value, String attr, boolean nullable) {
        String text = string(value, attr, nullable, true, 64);
        if (text == null) {
            return null;
        }
        try {
            UUID parsed = UUID.fromString(text);
            if (parsed.toString().equalsIgnoreCase(text)) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        return failure("invalid_input", "Must be a valid UUID.", attr);
    }

    /** An http or https URL; a blank one is stored as "". */
    public static String url(JsonNode value, String attr, boolean nullable, int maxLength) {
        String text = string(value, attr, nullable, true, maxLength);
        if (text == null || text.isEmpty()) {
            return text;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && !uri.getHost().isBlank()) {
                return text;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        return failure("invalid_input", "Enter a valid URL.", attr);
    }

    /** ISO-8601; any offset is accepted and converted to UTC, a date-time without one is taken as UTC. */
    public static OffsetDateTime dateTime(JsonNode value, String attr, boolean nullable) {
        if (isNull(value, attr, nullable)) {
            return null;
        }
        if (value.isTextual()) {
            try {
                TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(value.textValue().strip(),
                        OffsetDateTime::from, LocalDateTime::from);
                return parsed instanceof OffsetDateTime offset ? offset.withOffsetSameInstant(ZoneOffset.UTC)
                        : ((LocalDateTime) parsed).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        return failure("invalid_input", "Datetime has wrong format. Use one of these formats instead: "
                + "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].", attr);
    }

    public static ArrayNode list(JsonNode value, String attr, boolean nullable) {
        if (isNull(value, attr, nullable)) {
            return null;
        }
        if (!value.isArray()) {
            return failure("not_a_list", "Expected a list of items but got type \"" + typeName(value) + "\".", attr);
        }
        return (ArrayNode) value;
    }

    /** A list of at most {@code most} elements. */
    public static ArrayNode list(JsonNode value, String attr, boolean nullable, int most) {
        ArrayNode list = list(value, attr, nullable);
        if (list != null && list.size() > most) {
            return failure("max_length", "Ensure this field has no more than " + most + " elements.", attr);
        }
        return list;
    }

    private static boolean isNull(JsonNode value, String attr, boolean nullable) {
        if (value == null || value.isNull()) {
            if (!nullable) {
                failure("null", "This field may not be null.", attr);
            }
            return true;
        }
        return false;
    }

    private static <T> T failure(String code, String detail, String attr) {
        throw ApiException.validation(code, detail, attr);
    }

    private static String format(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }

    private static String typeName(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            return "str";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        if (value.isIntegralNumber()) {
            return "int";
        }
        if (value.isNumber()) {
            return "float";
        }
        return value.isArray() ? "list" : "dict";
    }
}
