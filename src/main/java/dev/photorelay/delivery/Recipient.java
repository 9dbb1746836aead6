package dev.photorelay.delivery;

import dev.photorelay.Printable;

/** One addressee of a photo: a platform and who on it. */
public record Recipient(Target target, String id) {

    /** Parses {@code target:recipient}, the form used by aliases. */
    public static Recipient parse(String entry) throws PhotoDeliveryException {
        int colon = entry.indexOf(':');
        if (colon < 0) {
            throw new PhotoDeliveryException(ErrorCode.UNKNOWN_DESTINATION,
                    "destination entry '" + entry + "' is not of the form target:recipient");
        }
        return of(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
    }

    public static Recipient of(String targetId, String id) throws PhotoDeliveryException {
        Target target = Target.byId(targetId).orElseThrow(() -> new PhotoDeliveryException(ErrorCode.UNKNOWN_DESTINATION,
                "unknown target '" + Printable.of(targetId, 80) + "' (known: telegram, zapi, sonoran)"));
        if (!target.acceptsRecipient(id)) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                    "'" + Printable.of(id, 80) + "' is not a valid " + target + " recipient");
        }
        return new Recipient(target, id);
    }


    @Override
    public String toString() {
        return target + ":" + id;
    }
}
