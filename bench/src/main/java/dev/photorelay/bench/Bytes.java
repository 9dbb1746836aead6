package dev.photorelay.bench;

/** Searching request bodies, which the fake platform keeps as bytes (they can be megabytes). */
final class Bytes {

    private Bytes() {
    }

    /** Where {@code what} first occurs in {@code data}, or -1. */
    static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
