package dev.photorelay.bench;

/** Sizes and times as the report shows them. */
final class Units {

    private static final double MIB = 1024.0 * 1024.0;

    private Units() {
    }

    /** 204800 → "200KB", 8388608 → "8MB" (1024-based, as the options take them). */
    static String size(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "MB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + "KB";
        }
        return bytes + "B";
    }

    static double mib(long bytes) {
        return bytes / MIB;
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
