package dev.photorelay.bench;

/** Progress lines on stderr, so that stdout carries only the report. */
final class Progress {

    private static final long START = System.nanoTime();

    private Progress() {
    }

    static void say(String format, Object... args) {
        System.err.printf("[bench %5.0fs] %s%n", Units.seconds(System.nanoTime() - START), String.format(format, args));
    }
}
