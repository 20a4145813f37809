package dev.recordings.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Making and hashing personal API key values: {@code phx_} and 43 URL-safe characters (256 random bits). */
public final class ApiKeys {

    public static final String PREFIX = "phx_";
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String newValue() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean looksLikeKey(String value) {
        return value.startsWith(PREFIX) && value.length() >= PREFIX.length() + 40
                && value.substring(PREFIX.length()).chars().allMatch(ApiKeys::isUrlSafe);
    }

    public static String hash(String value) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** What may be shown of a key after creation, to tell keys apart. */
    public static String mask(String value) {
        return value.substring(0, PREFIX.length() + 4) + "..." + value.substring(value.length() - 4);
    }

    private static boolean isUrlSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
