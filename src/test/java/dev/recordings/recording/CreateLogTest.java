package dev.recordings.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.recordings.support.Api;
import io.quarkus.test.junit.QuarkusTest;

/** Creating a recording is routine: it logs nothing above INFO (no deprecation or other warning per create). */
@QuarkusTest
class CreateLogTest {

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            // the webhook sender warns about other tests' receivers in the background: not this request's doing
            if (record.getLevel().intValue() > Level.INFO.intValue()
                    && !record.getLoggerName().startsWith("dev.recordings.webhook")) {
                warnings.add(record.getLoggerName() + ": "
                        + (record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void aCreateLogsNothingAboveInfo() {
        Api.Tenant tenant = Api.writer();
        for (int created = 0; created < 3; created++) {
            tenant.createRecording();
        }
        assertEquals(List.of(), warnings);
    }
}
