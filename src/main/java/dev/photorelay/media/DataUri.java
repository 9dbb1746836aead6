package dev.photorelay.media;

import java.io.IOException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;

/** {@code data:<type>;base64,<bytes>} URIs, in both directions. */
public final class DataUri {

    private static final Pattern IMAGE_DATA_URI = Pattern.compile("data:image/[A-Za-z0-9.+-]+;base64,(.*)", Pattern.DOTALL);

    private DataUri() {
    }

    public static boolean isDataUri(String value) {
        return value.startsWith("data:");
    }

    public static String of(Photo.Content photo) throws IOException {
        return "data:" + photo.type().mime() + ";base64," + Base64.getEncoder().encodeToString(photo.readAllBytes());
    }

    public static byte[] decode(String uri) throws PhotoDeliveryException {
        Matcher m = IMAGE_DATA_URI.matcher(uri);
        if (!m.matches()) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "only data:image/...;base64, URIs are accepted");
        }
        try {
            return Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "the data URI is not valid base64");
        }
    }
}
