package dev.photorelay.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The relay's log lines while it runs in the test's JVM ({@code @QuarkusTest}): each message as formatted, with the
 * stack trace of its exception if any. Close it to stop capturing.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** Every message logged so far, one entry per log call. */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void publish(LogRecord record) {
        StringWriter text = new StringWriter().append(formatter.formatMessage(record));
        if (record.getThrown() != null) {
            record.getThrown().printStackTrace(new PrintWriter(text));
        }
        lines.add(text.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
