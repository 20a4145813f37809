package dev.recordings.auth;

/**
 * Fired (a CDI event) when this replica learns that keys or memberships changed: {@link CallerCache} is the one
 * detector, and whatever holds access beyond a request (the live streams) checks it again on this.
 */
public record AccessChanged() {
}
