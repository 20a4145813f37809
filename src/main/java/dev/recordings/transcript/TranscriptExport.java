package dev.recordings.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The transcript as a plain-text, SubRip or WebVTT file, written segment by segment so that a transcript of any
 * length is formatted as it is read: a {@link Writer} takes the segments in stored order and gives back the text each
 * one completes (a cue is complete only once the next cue's start is known).
 */
public final class TranscriptExport {

    /** A cue lasts until the next one starts, but at most this long... */
    static final long LONGEST_CUE_MS = 10_000;
    /** ...and this long when the next one does not start later, or there is none. */
    static final long FALLBACK_CUE_MS = 3_000;

    private TranscriptExport() {
    }

    /** The formats of the export, with their media types; {@code json} is the stored segments themselves. */
    public enum Format {
        JSON("application/json"),
        TXT("text/plain; charset=utf-8"),
        SRT("application/x-subrip; charset=utf-8"),
        VTT("text/vtt; charset=utf-8");

        public static final List<String> NAMES = List.of("json", "txt", "srt", "vtt");

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }

        public String extension() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The format a query parameter names; null for none of them. */
        public static Format named(String name) {
            return NAMES.contains(name) ? valueOf(name.toUpperCase(Locale.ROOT)) : null;
        }
    }

    /** The fields of a stored segment the files show. */
    public record Segment(Double timestamp, String speaker, String text, Boolean isFinal) {

        /** Interim segments (is_final false) are left out of the files; true and null are kept. */
        boolean kept() {
            return !Boolean.FALSE.equals(isFinal);
        }

        String speakerOrNull() {
            return speaker == null || speaker.isBlank() ? null : speaker;
        }
    }

    /** Formats one file: {@link #start()}, then {@link #next(Segment)} for each segment in order, then {@link #end()}. */
    public interface Writer {
        String start();

        String next(Segment segment);

        String end();
    }

    /** A writer for a text format (not {@code json}). */
    public static Writer writer(Format format) {
        return switch (format) {
            case TXT -> new TextWriter();
            case SRT -> new CueWriter(false);
            case VTT -> new CueWriter(true);
            case JSON -> throw new IllegalArgumentException("json is not formatted");
        };
    }

    /** The whole file at once, for tests and short transcripts. */
    public static String format(Format format, List<Segment> segments) {
        Writer writer = writer(format);
        StringBuilder file = new StringBuilder(writer.start());
        segments.forEach(segment -> file.append(writer.next(segment)));
        return file.append(writer.end()).toString();
    }

    /** {@code [HH:MM:SS] Speaker: text}, one line per kept segment. */
    private static final class TextWriter implements Writer {
        @Override
        public String start() {
            return "";
        }

        @Override
        public String next(Segment segment) {
            if (!segment.kept()) {
                return "";
            }
            StringBuilder line = new StringBuilder();
            if (segment.timestamp() != null) {
                line.append("[").append(clock(milliseconds(segment.timestamp()), null)).append("] ");
            }
            if (segment.speakerOrNull() != null) {
                line.append(oneLine(segment.speakerOrNull())).append(": ");
            }
            return line.append(oneLine(segment.text())).append('\n').toString();
        }

        @Override
        public String end() {
            return "";
        }
    }

    /** SubRip or WebVTT cues; a cue is written when the next one's start is known, or at the end. */
    private static final class CueWriter implements Writer {
        private final boolean vtt;
        private final List<Segment> pending = new ArrayList<>(1);
        private int written;

        CueWriter(boolean vtt) {
            this.vtt = vtt;
        }

        @Override
        public String start() {
            return vtt ? "WEBVTT\n\n" : "";
        }

        @Override
        public String next(Segment segment) {
            if (!segment.kept() || segment.timestamp() == null) {
                return "";
            }
            String cue = pending.isEmpty() ? "" : cue(pending.get(0), milliseconds(segment.timestamp()));
            pending.clear();
            pending.add(segment);
            return cue;
        }

        @Override
        public String end() {
            return pending.isEmpty() ? "" : cue(pending.remove(0), null);
        }

        private String cue(Segment segment, Long nextStart) {
            long start = milliseconds(segment.timestamp());
            long end = nextStart != null && nextStart > start ? Math.min(nextStart, start + LONGEST_CUE_MS)
                    : start + FALLBACK_CUE_MS;
            char decimal = vtt ? '.' : ',';
            StringBuilder cue = new StringBuilder(written > 0 ? "\n" : "");
            written++;
            if (!vtt) {
                cue.append(written).append('\n');
            }
            cue.append(clock(start, decimal)).append(" --> ").append(clock(end, decimal)).append('\n');
            String speaker = segment.speakerOrNull();
            String text = oneLine(segment.text());
            if (vtt) {
                cue.append(speaker == null ? "" : "<v " + escape(oneLine(speaker)) + ">").append(escape(text));
            } else {
                cue.append(speaker == null ? "" : oneLine(speaker) + ": ").append(text);
            }
            return cue.append('\n').toString();
        }
    }

    /** Milliseconds from the start, the fraction dropped. */
    static long milliseconds(double timestamp) {
        return (long) Math.floor(timestamp);
    }

    /** {@code HH:MM:SS}, or with {@code decimal} {@code HH:MM:SS,mmm}; hours take as many digits as they need. */
    static String clock(long milliseconds, Character decimal) {
        long seconds = milliseconds / 1000;
        String clock = String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        return decimal == null ? clock : clock + decimal + String.format(Locale.ROOT, "%03d", milliseconds % 1000);
    }

    /** A line break inside a segment would end a line of the file, or a cue: each run of them becomes one space. */
    static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    /** WebVTT cue text: the three characters that would start markup or an entity. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
