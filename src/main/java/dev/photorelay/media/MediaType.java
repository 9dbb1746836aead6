package dev.photorelay.media;

import java.util.Optional;

/** The image formats the relay accepts, recognised by their leading bytes, never by file name. */
public enum MediaType {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    GIF("image/gif", "gif"),
    WEBP("image/webp", "webp");

    /** Enough leading bytes to tell every format apart. */
    public static final int SIGNATURE_LENGTH = 12;

    private final String mime;
    private final String extension;

    MediaType(String mime, String extension) {
        this.mime = mime;
        this.extension = extension;
    }

    public String mime() {
        return mime;
    }

    public String extension() {
        return extension;
    }

    public static Optional<MediaType> sniff(byte[] head, int length) {
        if (startsWith(head, length, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, length, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(head, length, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(head, length, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of(GIF);
        }
        if (startsWith(head, length, 0, 'R', 'I', 'F', 'F') && startsWith(head, length, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /**
     * Whether these bytes, fewer than {@link #SIGNATURE_LENGTH}, may still become an image: empty, or the start of one
     * of the signatures (a WebP's size bytes match anything).
     */
    public static boolean couldStart(byte[] head) {
        int[][] signatures = { { 0xFF, 0xD8, 0xFF }, { 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A },
                { 'G', 'I', 'F', '8', -1, 'a' }, { 'R', 'I', 'F', 'F', -1, -1, -1, -1, 'W', 'E', 'B', 'P' } };
        for (int[] signature : signatures) {
            boolean prefix = true;
            for (int i = 0; i < head.length && prefix; i++) {
                prefix = i >= signature.length || signature[i] == -1 || signature[i] == (head[i] & 0xFF);
            }
            if (prefix) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] head, int length, int offset, int... signature) {
        if (length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
