package dev.photorelay.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body split into its parts, as a platform reads an upload: a part without a name,
 * a missing boundary or a body that does not end with the closing boundary makes the whole request unreadable.
 */
final class FormData {

    /** One field of the form; {@code fileName} is set for a file part. */
    record Part(String fileName, String contentType, byte[] content) {

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern NAME = Pattern.compile("(?i)content-disposition:[^\\r\\n]*?\\bname=\"([^\"]*)\"");
    private static final Pattern FILE_NAME = Pattern.compile("(?i)content-disposition:[^\\r\\n]*?\\bfilename=\"([^\"]*)\"");
    private static final Pattern CONTENT_TYPE = Pattern.compile("(?im)^content-type:\\s*([^\\r\\n]+)");

    private FormData() {
    }

    /** The parts by name, or {@link IllegalArgumentException} saying why the body cannot be read. */
    static Map<String, Part> parse(String contentType, byte[] body) {
        Matcher boundaryParameter = BOUNDARY.matcher(contentType == null ? "" : contentType);
        if (!boundaryParameter.find()) {
            throw new IllegalArgumentException("no multipart boundary");
        }
        String boundary = boundaryParameter.group(1) != null ? boundaryParameter.group(1) : boundaryParameter.group(2);
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] separator = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Part> parts = new LinkedHashMap<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new IllegalArgumentException("the multipart body does not start with its boundary");
        }
        at += delimiter.length;
        while (true) {
            if (startsWith(body, at, "--")) {
                return parts; // the closing boundary
            }
            if (!startsWith(body, at, "\r\n")) {
                throw new IllegalArgumentException("a malformed multipart boundary line");
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at + 2);
            int next = headersEnd < 0 ? -1 : indexOf(body, separator, headersEnd + 4);
            if (next < 0) {
                throw new IllegalArgumentException("the multipart body ends without its closing boundary");
            }
            String headers = new String(body, at + 2, headersEnd - at - 2, StandardCharsets.UTF_8);
            Matcher name = NAME.matcher(headers);
            if (!name.find()) {
                throw new IllegalArgumentException("a multipart part without a name");
            }
            Matcher fileName = FILE_NAME.matcher(headers);
            Matcher type = CONTENT_TYPE.matcher(headers);
            parts.put(name.group(1), new Part(fileName.find() ? fileName.group(1) : null,
                    type.find() ? type.group(1).trim() : null, Arrays.copyOfRange(body, headersEnd + 4, next)));
            at = next + separator.length;
        }
    }

    private static boolean startsWith(byte[] data, int at, String ascii) {
        return at + ascii.length() <= data.length
                && Arrays.equals(data, at, at + ascii.length(), ascii.getBytes(StandardCharsets.ISO_8859_1), 0,
                        ascii.length());
    }

    static int indexOf(byte[] data, byte[] pattern, int from) {
        int last = data.length - pattern.length;
        outer:
        for (int i = Math.max(0, from); i <= last; i++) {
            if (data[i] != pattern[0]) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
