package dev.photorelay.api;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.Arrays;

import dev.photorelay.media.MediaType;

/**
 * Undoes a multipart decoding bug of Netty, under Quarkus's HTTP server (netty#12729): when the request arrives in
 * pieces and one ends between the CR and the LF before a part's delimiter, the CR stays in the part. A field reads
 * {@code "telegram\r"}, a photo gains a byte. The repair is exact: a field cannot end with a CR, and a photo whose
 * last byte is a CR right after its format's own end (a JPEG's EOI, a PNG's IEND chunk, a GIF's trailer, the size
 * a WebP declares) had that CR added.
 */
final class MultipartRepair {

    private static final byte CR = '\r';
    private static final byte[] PNG_END = { 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82 };
    private static final int TAIL = 8;

    private MultipartRepair() {
    }

    static String field(String value) {
        return value.endsWith("\r") ? value.substring(0, value.length() - 1) : value;
    }

    static void upload(File photo) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(photo, "rw")) {
            long length = file.length();
            if (length < MediaType.SIGNATURE_LENGTH + TAIL + 1) {
                return;
            }
            byte[] head = new byte[MediaType.SIGNATURE_LENGTH];
            file.readFully(head);
            byte[] tail = new byte[TAIL + 1];
            file.seek(length - tail.length);
            file.readFully(tail);
            if (tail[TAIL] != CR) {
                return;
            }
            MediaType type = MediaType.sniff(head, head.length).orElse(null);
            boolean added = type != null && switch (type) {
                case JPEG -> (tail[TAIL - 2] & 0xFF) == 0xFF && (tail[TAIL - 1] & 0xFF) == 0xD9;
                case PNG -> Arrays.equals(tail, 0, TAIL, PNG_END, 0, TAIL);
                case GIF -> tail[TAIL - 1] == ';';
                case WEBP -> riffSize(head) + 8 == length - 1;
            };
            if (added) {
                file.setLength(length - 1);
            }
        }
    }

    private static long riffSize(byte[] head) {
        return (head[4] & 0xFFL) | (head[5] & 0xFFL) << 8 | (head[6] & 0xFFL) << 16 | (head[7] & 0xFFL) << 24;
    }
}
