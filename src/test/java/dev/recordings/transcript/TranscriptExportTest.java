package dev.recordings.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.recordings.transcript.TranscriptExport.Format;
import dev.recordings.transcript.TranscriptExport.Segment;

/** The file formats of the export, rule by rule, without the application. */
class TranscriptExportTest {

    private static Segment said(double timestamp, String speaker, String text) {
        return new Segment(timestamp, speaker, text, true);
    }

    @Test
    void textHasOneLinePerSegmentWithItsTimeAndSpeaker() {
        assertEquals("""
                [00:00:01] Ann: Hello
                [01:01:01] Bob: Hi
                """, TranscriptExport.format(Format.TXT, List.of(said(1_999.9, "Ann", "Hello"),
                said(3_661_000, "Bob", "Hi"))));
    }

    @Test
    void textLeavesOutWhatIsUnknownAndInterimSegments() {
        assertEquals("""
                No time
                [00:00:02] No speaker
                [00:00:03] Blank speaker
                [00:00:05] Final not said
                """, TranscriptExport.format(Format.TXT, List.of(
                new Segment(null, null, "No time", true),
                new Segment(2_000.0, null, "No speaker", true),
                new Segment(3_000.0, "  ", "Blank speaker", null),
                new Segment(4_000.0, "Ann", "interim", false),
                new Segment(5_000.0, null, "Final not said", null))));
    }

    @Test
    void hoursAreNotCapped() {
        assertEquals("[100:00:00] late\n", TranscriptExport.format(Format.TXT, List.of(said(360_000_000, null, "late"))));
        assertEquals("1\n100:00:00,000 --> 100:00:03,000\nlate\n",
                TranscriptExport.format(Format.SRT, List.of(said(360_000_000, null, "late"))));
    }

    @Test
    void aCueEndsAtTheNextStartAtMostTenSecondsLater() {
        assertEquals("""
                1
                00:00:01,000 --> 00:00:02,500
                Ann: one

                2
                00:00:02,500 --> 00:00:12,500
                Bob: two

                3
                00:01:00,000 --> 00:01:03,000
                three
                """, TranscriptExport.format(Format.SRT, List.of(said(1_000, "Ann", "one"),
                said(2_500.7, "Bob", "two"), said(60_000, null, "three"))));
    }

    @Test
    void aCueWhoseNextDoesNotStartLaterLastsThreeSeconds() {
        assertEquals("""
                1
                00:00:05,000 --> 00:00:08,000
                same start

                2
                00:00:05,000 --> 00:00:08,000
                again

                3
                00:00:04,000 --> 00:00:07,000
                earlier
                """, TranscriptExport.format(Format.SRT, List.of(said(5_000, null, "same start"),
                said(5_000, null, "again"), said(4_000, null, "earlier"))));
    }

    @Test
    void cuesSkipUntimedAndInterimSegmentsAndTimeFromTheNextKeptOne() {
        assertEquals("""
                1
                00:00:01,000 --> 00:00:04,000
                kept

                2
                00:00:04,000 --> 00:00:07,000
                next kept
                """, TranscriptExport.format(Format.SRT, List.of(said(1_000, null, "kept"),
                new Segment(null, "Ann", "untimed", true), new Segment(2_000.0, "Ann", "interim", false),
                said(4_000, null, "next kept"))));
    }

    @Test
    void webVttHasItsHeaderVoicesAndEscapes() {
        assertEquals("""
                WEBVTT

                00:00:01.000 --> 00:00:02.000
                <v Ann &amp; Co>a &lt;b&gt; &amp; c

                00:00:02.000 --> 00:00:05.000
                no voice
                """, TranscriptExport.format(Format.VTT, List.of(said(1_000, "Ann & Co", "a <b> & c"),
                said(2_000, " ", "no voice"))));
    }

    @Test
    void anEmptyTranscriptIsAnEmptyFile() {
        assertEquals("", TranscriptExport.format(Format.TXT, List.of()));
        assertEquals("", TranscriptExport.format(Format.SRT, List.of()));
        assertEquals("WEBVTT\n\n", TranscriptExport.format(Format.VTT, List.of()));
    }

    @Test
    void aLineBreakInsideASegmentCannotEndALineOrACue() {
        assertEquals("Ann: two lines\n", TranscriptExport.format(Format.TXT,
                List.of(new Segment(null, "Ann", "two\r\n\nlines", null))));
        assertEquals("1\n00:00:00,000 --> 00:00:03,000\ntwo lines\n",
                TranscriptExport.format(Format.SRT, List.of(said(0, null, "two\n\nlines"))));
    }

    @Test
    void formatsAreNamedInLowerCase() {
        assertEquals(Format.SRT, Format.named("srt"));
        assertEquals(null, Format.named("SRT"));
        assertEquals(null, Format.named("pdf"));
        assertEquals(List.of("json", "txt", "srt", "vtt"), Format.NAMES);
    }
}
