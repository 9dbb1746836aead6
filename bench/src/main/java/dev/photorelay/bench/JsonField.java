package dev.photorelay.bench;

import java.nio.charset.StandardCharsets;

/**
 * Reads one string field from a JSON body without parsing it all (a Z-API body is megabytes of base64): the first
 * {@code "name": "value"} in it. Enough for the flat, unescaped values the benchmark sends.
 */
final class JsonField {

    private JsonField() {
    }

    static String string(byte[] json, String name) {
        int at = Bytes.indexOf(json, ("\"" + name + "\"").getBytes(StandardCharsets.US_ASCII));
        if (at < 0) {
            return null;
        }
        int i = skipBlanks(json, at + name.length() + 2);
        if (i >= json.length || json[i] != ':') {
            return null;
        }
        i = skipBlanks(json, i + 1);
        if (i >= json.length || json[i] != '"') {
            return null;
        }
        int end = i + 1;
        while (end < json.length && json[end] != '"') {
            end++;
        }
        return end < json.length ? new String(json, i + 1, end - i - 1, StandardCharsets.UTF_8) : null;
    }

    private static int skipBlanks(byte[] json, int i) {
        while (i < json.length && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) {
            i++;
        }
        return i;
    }
}
