package dev.recordings.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

/** How a receiver's Retry-After is taken: a pure rule, no application. */
class RetryAfterTest {

    @Test
    void secondsAndDatesAreTakenUpToAnHour() {
        assertEquals(Duration.ofSeconds(3), WebhookSender.retryAfter("3"));
        assertEquals(Duration.ofHours(1), WebhookSender.retryAfter("3600"));
        String inTenMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)
                .plusMinutes(10));
        Duration asked = WebhookSender.retryAfter(inTenMinutes);
        assertTrue(asked.compareTo(Duration.ofMinutes(9)) > 0 && asked.compareTo(Duration.ofMinutes(10)) <= 0,
                asked.toString());
    }

    @Test
    void aLongerWaitIsClampedToAnHour() {
        assertEquals(Duration.ofHours(1), WebhookSender.retryAfter("86400"));
        assertEquals(Duration.ofHours(1), WebhookSender.retryAfter(Long.toString(Long.MAX_VALUE)));
        assertEquals(Duration.ofHours(1), WebhookSender.retryAfter(DateTimeFormatter.RFC_1123_DATE_TIME
                .format(ZonedDateTime.now(ZoneOffset.UTC).plusYears(30))));
    }

    @Test
    void anAbsurdValueFallsBackToTheSchedule() {
        assertNull(WebhookSender.retryAfter("-5"));
        assertNull(WebhookSender.retryAfter("99999999999999999999999"));
        assertNull(WebhookSender.retryAfter("soon"));
        assertNull(WebhookSender.retryAfter(""));
        assertNull(WebhookSender.retryAfter(null));
    }
}
