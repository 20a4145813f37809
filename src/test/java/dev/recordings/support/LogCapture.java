package dev.recordings.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/** The log records of a logger (and those under it) that a test keeps, as formatted lines, while it listens. */
public final class LogCapture extends Handler {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final Predicate<LogRecord> kept;

    private LogCapture(String loggerName, Predicate<LogRecord> kept) {
        this.logger = Logger.getLogger(loggerName);
        this.kept = kept;
    }

    /** Starts listening to the logger named (the root logger for ""). */
    public static LogCapture listen(String loggerName, Predicate<LogRecord> kept) {
        LogCapture capture = new LogCapture(loggerName, kept);
        capture.logger.addHandler(capture);
        return capture;
    }

    public List<String> lines() {
        return lines;
    }

    public void stop() {
        logger.removeHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (kept.test(record)) {
            lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
