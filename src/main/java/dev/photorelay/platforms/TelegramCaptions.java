package dev.photorelay.platforms;

/**
 * A caption's length as Telegram counts it: after its markup is parsed (Bot API, "Formatting options": at most 1024
 * characters "after entities parsing"). With {@code HTML} tags do not count and an entity such as {@code &amp;} is
 * one character; with {@code MarkdownV2} and {@code Markdown} the markup characters and link targets do not count,
 * and an escaped character ({@code \.}) is one.
 * <p>
 * Characters are counted as code points, the lower of the two counts measured in public: the relay must not refuse
 * what Telegram would take. Markup Telegram cannot parse is left for Telegram to refuse ("can't parse entities").
 */
public final class TelegramCaptions {

    private TelegramCaptions() {
    }

    /**
     * @param  caption   the caption as sent, or null
     * @param  parseMode {@code HTML}, {@code MarkdownV2}, {@code Markdown}, or null for plain text
     * @return           its length in characters as Telegram counts it; 0 for none
     */
    public static int length(String caption, String parseMode) {
        if (caption == null) {
            return 0;
        }
        if (parseMode == null) {
            return caption.codePointCount(0, caption.length());
        }
        return switch (parseMode) {
            case "HTML" -> html(caption);
            case "MarkdownV2" -> markdown(caption, "*_~|`", true);
            case "Markdown" -> markdown(caption, "*_`", false);
            default -> caption.codePointCount(0, caption.length());
        };
    }

    private static int html(String caption) {
        int count = 0;
        int i = 0;
        while (i < caption.length()) {
            char c = caption.charAt(i);
            if (c == '<') {
                int end = tagEnd(caption, i);
                if (end < 0) {
                    return count + caption.codePointCount(i, caption.length());
                }
                i = end + 1;
            } else if (c == '&') {
                int end = caption.indexOf(';', i);
                // &lt; &gt; &amp; &quot; and numeric references are one character each
                if (end > i + 1 && end - i <= 10 && caption.substring(i + 1, end).matches("#?[0-9A-Za-z]+")) {
                    count++;
                    i = end + 1;
                } else {
                    count++;
                    i++;
                }
            } else {
                count++;
                i += Character.charCount(caption.codePointAt(i));
            }
        }
        return count;
    }

    /** Where a tag ends: its {@code >} outside quoted attribute values ({@code <a href="...?q=>">}); -1 if never. */
    private static int tagEnd(String caption, int start) {
        char quote = 0;
        for (int i = start + 1; i < caption.length(); i++) {
            char c = caption.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i;
            }
        }
        return -1;
    }

    private static int markdown(String caption, String markup, boolean v2) {
        int count = 0;
        int i = 0;
        boolean lineStart = true;
        while (i < caption.length()) {
            int c = caption.codePointAt(i);
            int width = Character.charCount(c);
            if (c == '\\' && i + 1 < caption.length()) {
                // an escaped character is shown as itself
                count++;
                i += 1 + Character.charCount(caption.codePointAt(i + 1));
                lineStart = false;
                continue;
            }
            if (caption.startsWith("```", i)) {
                // a code block's language, up to its line's end, is not shown
                int line = caption.indexOf('\n', i + 3);
                i = line > 0 && caption.substring(i + 3, line).matches("[A-Za-z0-9_+#-]*") ? line + 1 : i + 3;
                lineStart = i > 0 && caption.charAt(i - 1) == '\n';
                continue;
            }
            if (c == ']' && i + 1 < caption.length() && caption.charAt(i + 1) == '(') {
                // a link's or custom emoji's target is not shown
                int end = caption.indexOf(')', i);
                i = end < 0 ? caption.length() : end + 1;
                lineStart = false;
                continue;
            }
            boolean hidden = markup.indexOf(c) >= 0 || c == '[' || (v2 && c == '!' && i + 1 < caption.length()
                    && caption.charAt(i + 1) == '[') || (v2 && c == '>' && lineStart);
            if (!hidden) {
                count++;
            }
            lineStart = c == '\n';
            i += width;
        }
        return count;
    }
}
