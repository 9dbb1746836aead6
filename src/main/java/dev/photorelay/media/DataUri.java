package dev.photorelay.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
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

    /** {@code data:<type>;base64,}: what comes before the photo's bytes. */
    public static String prefix(Photo.Content photo) {
        return "data:" + photo.type().mime() + ";base64,";
    }

    /** The length of the photo's bytes in base64, padding included. */
    public static long encodedLength(Photo.Content photo) {
        return 4 * ((photo.size() + 2) / 3);
    }

    /**
     * Writes the photo's bytes in base64 to {@code out}, read and encoded piece by piece: never held whole, as bytes
     * or as text. {@code out} stays open.
     */
    public static void writeEncoded(Photo.Content photo, OutputStream out) throws IOException {
        // a multiple of 3 bytes, so that each piece encodes without padding and writes 64 KB of text at once
        byte[] piece = new byte[48 * 1024];
        Base64.Encoder base64 = Base64.getEncoder();
        try (InputStream in = photo.open()) {
            int n;
            while ((n = in.readNBytes(piece, 0, piece.length)) > 0) {
                out.write(base64.encode(n == piece.length ? piece : Arrays.copyOf(piece, n)));
            }
        }
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
