package dev.photorelay.platforms;

import java.time.Duration;

/**
 * A platform answered, but not with a delivered photo. Carries what the platform said, for
 * {@link ErrorClassifier} to turn into an error code.
 */
public class PlatformRejection extends Exception {

    private final int httpStatus;
    private final int platformStatus;
    private final String platformError;
    private final boolean unreadable;
    private final Duration retryAfter;

    /**
     * @param platformStatus the status the platform reports in its body (Telegram's {@code error_code}), else the
     *                       HTTP status
     * @param unreadable     the answer could not be understood at all (HTML page, empty body, broken JSON)
     */
    public PlatformRejection(int httpStatus, int platformStatus, String platformError, boolean unreadable) {
        this(httpStatus, platformStatus, platformError, unreadable, null);
    }

    private PlatformRejection(int httpStatus, int platformStatus, String platformError, boolean unreadable,
            Duration retryAfter) {
        super("platform answered " + httpStatus + ": " + platformError);
        this.httpStatus = httpStatus;
        this.platformStatus = platformStatus;
        this.platformError = platformError;
        this.unreadable = unreadable;
        this.retryAfter = retryAfter;
    }

    /** The same rejection, with the wait the platform asked for before another call. */
    public PlatformRejection retryAfter(Duration wait) {
        return new PlatformRejection(httpStatus, platformStatus, platformError, unreadable, wait);
    }

    /** How long the platform asked us to wait (Retry-After, Telegram's retry_after), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int platformStatus() {
        return platformStatus;
    }

    public String platformError() {
        return platformError;
    }

    public boolean unreadable() {
        return unreadable;
    }
}
