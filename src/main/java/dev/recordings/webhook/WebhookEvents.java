package dev.recordings.webhook;

import java.util.List;

/** The event types an endpoint can take; validation, the API document and the dispatcher read them here. */
public final class WebhookEvents {

    public static final String CREATED = "recording.created";
    public static final String UPDATED = "recording.updated";
    public static final String STATUS_CHANGED = "recording.status_changed";
    public static final String TRANSCRIPT = "transcript.updated";
    public static final String DELETED = "recording.deleted";
    public static final String PING = "ping";
    /** Every type, now and later. */
    public static final String ALL = "*";

    /** What an endpoint's {@code events} may hold. */
    public static final List<String> CHOICES = List.of(CREATED, UPDATED, STATUS_CHANGED, TRANSCRIPT, DELETED, PING,
            ALL);

    private WebhookEvents() {
    }

    /** Whether an endpoint with these events takes the type (a ping, which its owner asks for, always). */
    public static boolean takes(List<String> events, String type) {
        return PING.equals(type) || events.contains(ALL) || events.contains(type);
    }
}
