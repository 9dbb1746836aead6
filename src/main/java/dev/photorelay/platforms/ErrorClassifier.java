package dev.photorelay.platforms;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Instant;
import java.util.Locale;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;

import dev.photorelay.HostFault;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PacingHold;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoRequest;
import dev.photorelay.delivery.Recipient;
import dev.photorelay.delivery.Target;
import dev.photorelay.operations.DiskWatch;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The one place where a failed platform call becomes an error code: called by the {@code onException} of the
 * platform routes, it maps the platform's answer (status and its own error vocabulary) or the exception of a call
 * that got no answer.
 */
@Singleton
@Named("errorClassifier")
@RegisterForReflection
public class ErrorClassifier {

    private final Secrets secrets;
    private final DiskWatch disk;

    public ErrorClassifier(Secrets secrets, DiskWatch disk) {
        this.secrets = secrets;
        this.disk = disk;
    }

    /** Turns the exception caught in a fan-out branch into that recipient's failed outcome. */
    public Outcome failedOutcome(Exchange exchange) {
        return failedOutcome(exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class),
                exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    /**
     * The failed outcome of a recipient whose delivery ended with {@code caught}: a platform's rejection in its
     * error vocabulary, or the code of the exception; a fault of the relay's own disk is also reported to
     * {@link DiskWatch}.
     */
    public Outcome failedOutcome(Recipient recipient, Throwable caught) {
        PlatformRejection rejection = find(caught, PlatformRejection.class);
        if (rejection != null) {
            Instant retryAt = rejection.retryAfter() == null ? null : Instant.now().plus(rejection.retryAfter());
            return Outcome.failed(recipient, classify(recipient.target(), rejection), rejection.httpStatus(),
                    secrets.redact(rejection.platformError()), retryAt);
        }
        hostFault(caught);
        PacingHold hold = find(caught, PacingHold.class);
        return Outcome.failed(recipient, classify(caught), null, reason(caught), hold == null ? null : hold.until());
    }

    /**
     * Whether {@code caught} is a fault of the relay's own disk; if so, it is reported to {@link DiskWatch}, which says
     * it once for all the photos it hits.
     */
    public boolean hostFault(Throwable caught) {
        HostFault fault = find(caught, HostFault.class);
        if (fault != null) {
            disk.report(fault);
        }
        return fault != null;
    }

    /** Why it failed, fit for a log line or a record: scrubbed of secrets. */
    public String reason(Throwable caught) {
        return secrets.redact(describe(caught));
    }

    static ErrorCode classify(Target target, PlatformRejection rejection) {
        if (rejection.unreadable() && rejection.httpStatus() < 400) {
            return ErrorCode.UPSTREAM_UNAVAILABLE;
        }
        int status = rejection.platformStatus();
        String text = rejection.platformError() == null ? "" : rejection.platformError().toUpperCase(Locale.ROOT);
        switch (target) {
            case TELEGRAM -> {
                if (status == 404 || text.contains("CHAT NOT FOUND")) {
                    return ErrorCode.RECIPIENT_NOT_FOUND;
                }
            }
            case ZAPI -> {
                if (status == 401 || text.contains("TOKEN") || text.contains("INSTANCE NOT FOUND")) {
                    return ErrorCode.INVALID_CREDENTIALS;
                }
            }
            case SONORAN -> {
                if (text.contains("INVALID API KEY") || text.contains("INVALID COMMUNITY ID")) {
                    return ErrorCode.INVALID_CREDENTIALS;
                }
                if (text.contains("API IS NOT ENABLED")) {
                    return ErrorCode.FORBIDDEN;
                }
                if (text.contains("INVALID REQUEST TYPE")) {
                    return ErrorCode.INVALID_REQUEST;
                }
            }
        }
        if (status == 401) {
            return ErrorCode.INVALID_CREDENTIALS;
        }
        if (status == 403) {
            return ErrorCode.FORBIDDEN;
        }
        if (status == 413) {
            return ErrorCode.PAYLOAD_TOO_LARGE;
        }
        if (status == 429) {
            return ErrorCode.RATE_LIMITED;
        }
        if (status >= 500) {
            return ErrorCode.UPSTREAM_UNAVAILABLE;
        }
        // other 4xx, and a 2xx that is not a success (Telegram's ok:false, Z-API's {"error": ...})
        return status < 300 || status >= 400 ? ErrorCode.INVALID_REQUEST : ErrorCode.UPSTREAM_UNAVAILABLE;
    }

    public static ErrorCode classify(Throwable caught) {
        PhotoDeliveryException known = find(caught, PhotoDeliveryException.class);
        if (known != null) {
            return known.code();
        }
        if (find(caught, HostFault.class) != null) {
            return ErrorCode.INTERNAL_ERROR; // the relay's own disk: neither the photo's fault nor the platform's
        }
        if (find(caught, FileSystemException.class) != null || find(caught, FileNotFoundException.class) != null) {
            return ErrorCode.INVALID_REQUEST; // the photo's own file vanished or became unreadable
        }
        if (find(caught, IOException.class) != null) {
            return ErrorCode.NETWORK_ERROR; // refused, reset, timed out: the call got no answer
        }
        return ErrorCode.INTERNAL_ERROR;
    }

    /** The text for the record: the reason of our own exceptions, the innermost cause of the others. */
    private static String describe(Throwable caught) {
        PhotoDeliveryException known = find(caught, PhotoDeliveryException.class);
        if (known != null) {
            return known.reason();
        }
        HostFault fault = find(caught, HostFault.class);
        if (fault != null) {
            return fault.getMessage();
        }
        Throwable root = caught;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** The first exception of this type in the chain of causes, or null. */
    public static <T extends Throwable> T find(Throwable caught, Class<T> type) {
        for (Throwable t = caught; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
