package dev.recordings.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import dev.recordings.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;

/** Creating a recording is routine: it logs nothing above INFO (no deprecation or other warning per create). */
@QuarkusTest
class CreateLogTest {

    private LogCapture warnings;

    @BeforeEach
    void listen() {
        // the webhook sender warns about other tests' receivers in the background: not this request's doing
        warnings = LogCapture.listen("", record -> record.getLevel().intValue() > Level.INFO.intValue()
                && !record.getLoggerName().startsWith("dev.recordings.webhook"));
    }

    @AfterEach
    void stopListening() {
        warnings.stop();
    }

    @Test
    void aCreateLogsNothingAboveInfo() {
        Api.Tenant tenant = Api.writer();
        for (int created = 0; created < 3; created++) {
            tenant.createRecording();
        }
        assertEquals(List.of(), warnings.lines());
    }
}
