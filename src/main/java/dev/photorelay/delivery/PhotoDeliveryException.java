package dev.photorelay.delivery;

/**
 * A photo that could not be delivered, with the code that says why. Thrown by {@code direct:send-photo};
 * {@link #result()} holds the per-recipient outcomes when the photo got as far as its recipients.
 */
public class PhotoDeliveryException extends Exception {

    private final ErrorCode code;
    private final transient DeliveryResult result;

    public PhotoDeliveryException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public PhotoDeliveryException(ErrorCode code, String message, DeliveryResult result) {
        super(code + ": " + message);
        this.code = code;
        this.result = result;
    }

    public ErrorCode code() {
        return code;
    }

    /** The message without the code prefix. */
    public String reason() {
        return getMessage().substring(code.name().length() + 2);
    }

    public DeliveryResult result() {
        return result;
    }
}
