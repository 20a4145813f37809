package dev.recordings.json;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.recordings.error.ApiException;

/**
 * Turns a raw request body into a JSON object, checking media type, size and syntax in the contract's order.
 * Resources take bodies as bytes so that these checks run after authentication and the project and recording
 * lookups, as the contract orders them, instead of during routing.
 */
@ApplicationScoped
public class JsonBodyReader {

    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private final ObjectReader reader;

    public JsonBodyReader(ObjectMapper mapper) {
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The body as a JSON object, by the request's Content-Type; an empty body is an empty object. */
    public ObjectNode readObject(HttpHeaders headers, byte[] body) {
        MediaType mediaType;
        try {
            mediaType = headers.getMediaType();
        } catch (IllegalArgumentException malformed) {
            throw ApiException.unsupportedMediaType(headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        }
        return readObject(mediaType, body);
    }

    private ObjectNode readObject(MediaType mediaType, byte[] body) {
        boolean empty = body == null || body.length == 0;
        if (mediaType != null ? !isJson(mediaType) : !empty) {
            throw ApiException.unsupportedMediaType(mediaType == null ? "none" : mediaType.toString());
        }
        if (!empty && body.length > MAX_BODY_BYTES) {
            throw ApiException.payloadTooLarge();
        }
        if (empty) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode tree;
        try {
            tree = reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.parseError("JSON parse error - " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.parseError("JSON parse error.");
        }
        if (tree == null || tree.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw ApiException.validation("invalid_input",
                    "Invalid data. Expected a dictionary, but got " + tree.getNodeType().name().toLowerCase() + ".",
                    null);
        }
        return (ObjectNode) tree;
    }

    private static boolean isJson(MediaType mediaType) {
        return mediaType != null && "application".equalsIgnoreCase(mediaType.getType())
                && "json".equalsIgnoreCase(mediaType.getSubtype());
    }

    /**
     * Whether a body with this Content-Type header (null when there is none) would be refused as not JSON: the
     * contract checks the media type before the size, so an oversized body is refused as such only when it is JSON.
     */
    public static boolean isRefusedMediaType(String contentType) {
        if (contentType == null) {
            return true;
        }
        try {
            return !isJson(MediaType.valueOf(contentType));
        } catch (IllegalArgumentException malformed) {
            return true;
        }
    }
}
