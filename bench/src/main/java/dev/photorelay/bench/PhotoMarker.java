package dev.photorelay.bench;

import java.nio.charset.StandardCharsets;

/**
 * Identifies a benchmark photo by an ASCII marker such as {@code PRB:000123;}, carried in a JPEG comment right
 * after the start-of-image marker, so the fake platform can tell which photo arrived from the first bytes it gets.
 */
final class PhotoMarker {

    private static final byte[] PREFIX = "PRB:".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGITS = 6;

    private PhotoMarker() {
    }

    static byte[] of(int id) {
        return String.format("PRB:%0" + DIGITS + "d;", id).getBytes(StandardCharsets.US_ASCII);
    }

    /** The id of the first marker within {@code data[from, to)}, or -1 if there is none. */
    static int find(byte[] data, int from, int to) {
        int end = Math.min(to, data.length) - PREFIX.length - DIGITS;
        for (int i = Math.max(0, from); i < end; i++) {
            if (startsWith(data, i)) {
                return parse(data, i + PREFIX.length);
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] data, int at) {
        for (int j = 0; j < PREFIX.length; j++) {
            if (data[at + j] != PREFIX[j]) {
                return false;
            }
        }
        return true;
    }

    private static int parse(byte[] data, int at) {
        int id = 0;
        for (int j = 0; j < DIGITS; j++) {
            int digit = data[at + j] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            id = id * 10 + digit;
        }
        return data[at + DIGITS] == ';' ? id : -1;
    }
}
