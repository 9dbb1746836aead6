package dev.photorelay.api;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops one known, harmless log record: when a client leaves in the middle of an upload, Vert.x Web's body handler
 * cancels the upload's file stream after Vert.x core has already closed (and deleted) the file, and the
 * {@code IllegalStateException: File handle is closed} this throws reaches the log as an uncaught ERROR with its stack
 * trace. The upload is gone either way (vert.x#3646); {@link ApiGate} answers the request in our own words.
 */
@LoggingFilter(name = "aborted-upload")
public final class AbortedUploadLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (!(thrown instanceof IllegalStateException) || !"File handle is closed".equals(thrown.getMessage())) {
            return true;
        }
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getMethodName().equals("cancelStreamToFileSystem")) {
                return false;
            }
        }
        return true;
    }
}
