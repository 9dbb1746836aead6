package dev.photorelay.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the relay did to a photo so that a platform takes it, for the record: {@code {"from": "12000x3000, 11.4 MB",
 * "to": "8000x2000, 3.1 MB", "how": "fit"}}.
 *
 * @param from the photo as taken: width x height, size
 * @param to   as sent
 * @param how  {@code fit}: re-encoded as a JPEG within the platform's limits
 */
@RegisterForReflection
public record Adaptation(String from, String to, String how) {

    public static final String FIT = "fit";

    /** {@code 12000x3000, 11.4 MB} (MB of 1024 x 1024 bytes, as the platforms count their limits). */
    public static String describe(int width, int height, long bytes) {
        return width + "x" + height + ", " + String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
