package dev.recordings.recording;

/** The list filters; a null field does not filter. */
public record RecordingFilter(Long userId, String platform, String status, String search) {
}
