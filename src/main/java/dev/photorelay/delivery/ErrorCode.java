package dev.photorelay.delivery;

/**
 * Every way a delivery can fail. Transient codes are the ones a retry may cure; the rest fail at once.
 */
public enum ErrorCode {
    INVALID_CREDENTIALS(false),
    FORBIDDEN(false),
    RECIPIENT_NOT_FOUND(false),
    INVALID_REQUEST(false),
    PAYLOAD_TOO_LARGE(false),
    RATE_LIMITED(true),
    UPSTREAM_UNAVAILABLE(true),
    NETWORK_ERROR(true),
    UNSUPPORTED_MEDIA(false),
    UNKNOWN_DESTINATION(false),
    NOT_CONFIGURED(false),
    /** A fault of the relay itself: a bug or the local disk, never the photo or the platform. */
    INTERNAL_ERROR(false);

    private final boolean transientFault;

    ErrorCode(boolean transientFault) {
        this.transientFault = transientFault;
    }

    public boolean isTransient() {
        return transientFault;
    }
}
