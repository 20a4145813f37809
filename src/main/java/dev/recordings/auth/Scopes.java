package dev.recordings.auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** API key scopes. They become security roles, so resources guard themselves with {@code @RolesAllowed}. */
public final class Scopes {

    public static final String READ = "desktop_recording:read";
    public static final String WRITE = "desktop_recording:write";
    /** Webhook endpoints receive transcripts, so the recording scopes do not grant these. */
    public static final String WEBHOOK_READ = "webhook:read";
    public static final String WEBHOOK_WRITE = "webhook:write";
    public static final String ALL = "*";
    public static final List<String> KNOWN = List.of(READ, WRITE, WEBHOOK_READ, WEBHOOK_WRITE, ALL);

    private Scopes() {
    }

    /** The roles a key's scopes grant: {@code :write} implies {@code :read}, {@code *} implies all. */
    public static Set<String> roles(String... scopes) {
        Set<String> roles = new LinkedHashSet<>();
        for (String scope : Arrays.asList(scopes)) {
            switch (scope) {
                case ALL -> roles.addAll(List.of(READ, WRITE, WEBHOOK_READ, WEBHOOK_WRITE));
                case WRITE -> {
                    roles.add(READ);
                    roles.add(WRITE);
                }
                case READ -> roles.add(READ);
                case WEBHOOK_WRITE -> {
                    roles.add(WEBHOOK_READ);
                    roles.add(WEBHOOK_WRITE);
                }
                case WEBHOOK_READ -> roles.add(WEBHOOK_READ);
                default -> {
                    // a scope of a feature this service does not have grants nothing here
                }
            }
        }
        return roles;
    }
}
