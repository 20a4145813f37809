package dev.recordings.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The request log's duration: milliseconds with one decimal, rounded half up, as String.format wrote it. */
class RequestLogDurationTest {

    @Test
    void durationsAreMillisecondsWithOneDecimal() {
        assertEquals("0.0", RequestLog.millis(0));
        assertEquals("0.0", RequestLog.millis(49_999));
        assertEquals("0.1", RequestLog.millis(50_000));
        assertEquals("2.5", RequestLog.millis(2_460_000));
        assertEquals("10.0", RequestLog.millis(9_960_000));
        assertEquals("1234.6", RequestLog.millis(1_234_567_890L));
    }
}
