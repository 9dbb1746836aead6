package dev.photorelay.delivery;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A pacing limit as configured: {@code 30/s}, {@code 20/min}, {@code 100/h}, or {@code none}. */
public record Rate(int count, Duration per) {

    public static final Rate NONE = new Rate(0, Duration.ZERO);
    private static final Pattern FORM = Pattern.compile("([0-9]{1,6})\\s*/\\s*(s|sec|second|min|minute|h|hour)");

    /** @throws IllegalArgumentException saying what the form should be */
    public static Rate parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("none")) {
            return NONE;
        }
        Matcher m = FORM.matcher(value);
        if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
            throw new IllegalArgumentException("a rate is N/s, N/min or N/h with N at least 1, or none");
        }
        Duration per = switch (m.group(2)) {
            case "s", "sec", "second" -> Duration.ofSeconds(1);
            case "min", "minute" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        return new Rate(Integer.parseInt(m.group(1)), per);
    }

    /** The least time between two calls that keeps to this rate (rounded up, never a hair over it); zero for none. */
    public long spacingNanos() {
        return count == 0 ? 0 : (per.toNanos() + count - 1) / count;
    }
}
