package dev.photorelay;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Names from the file system, folders and headers can hold anything, line breaks and terminal escapes included. Before
 * one goes into a log line or a message, its control characters (and the characters that break or reorder a line:
 * Unicode line and paragraph separators, bidirectional overrides) are written as escapes, {@code \n} or
 * {@code \u001b}, so that a name can neither split nor forge a log line and still reads as what it is.
 */
public final class Printable {

    private Printable() {
    }

    /**
     * @param  value any text, or null
     * @return       the text with each such character escaped; {@code ""} for null
     */
    public static String of(String value) {
        if (value == null) {
            return "";
        }
        int i = 0;
        while (i < value.length() && !needsEscape(value.charAt(i))) {
            i++;
        }
        if (i == value.length()) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16).append(value, 0, i);
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!needsEscape(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** {@link #of}, cut to {@code max} characters with {@code ...} after it when longer. */
    public static String of(String value, int max) {
        String printable = of(value);
        return printable.length() > max ? printable.substring(0, max) + "..." : printable;
    }

    /**
     * The same rule for JSON written by the relay (records): JSON itself escapes only U+0000 to U+001F, so DEL, the C1
     * controls, line separators and bidirectional overrides are escaped as {@code \\uXXXX} too.
     */
    public static final class JsonEscapes extends CharacterEscapes {

        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        public JsonEscapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch <= 0xFFFF && needsEscape((char) ch)
                    ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }

    private static boolean needsEscape(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
