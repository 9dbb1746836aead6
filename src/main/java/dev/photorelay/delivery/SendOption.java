package dev.photorelay.delivery;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The options a photo may carry besides where it goes, under the one name they have everywhere (a sidecar, an API
 * field, the sidecar the API spools), with the header each becomes and the type it must have.
 */
public enum SendOption {
    CAPTION("caption", PhotoHeaders.CAPTION, Kind.TEXT),
    REPLY_TO("replyTo", PhotoHeaders.REPLY_TO, Kind.MESSAGE_ID),
    VIEW_ONCE("viewOnce", PhotoHeaders.VIEW_ONCE, Kind.TRUE_OR_FALSE),
    DELAY_SECONDS("delaySeconds", PhotoHeaders.DELAY_SECONDS, Kind.WHOLE_SECONDS),
    PARSE_MODE("parseMode", PhotoHeaders.PARSE_MODE, Kind.TEXT),
    AS_DOCUMENT("asDocument", PhotoHeaders.AS_DOCUMENT, Kind.TRUE_OR_FALSE);

    private enum Kind {
        TEXT("a string"),
        MESSAGE_ID("a message id (string or number)"),
        TRUE_OR_FALSE("true or false"),
        WHOLE_SECONDS("a whole number of seconds (1 to 15)");

        private final String expected;

        Kind(String expected) {
            this.expected = expected;
        }
    }

    private final String field;
    private final String header;
    private final Kind kind;

    SendOption(String field, String header, Kind kind) {
        this.field = field;
        this.header = header;
        this.kind = kind;
    }

    public String field() {
        return field;
    }

    public String header() {
        return header;
    }

    public static Optional<SendOption> byField(String name) {
        return Arrays.stream(values()).filter(option -> option.field.equals(name)).findFirst();
    }

    /** The field names, for messages: {@code caption, replyTo, ...}. */
    public static String fields() {
        return Arrays.stream(values()).map(SendOption::field).collect(Collectors.joining(", "));
    }

    /** A JSON value (a sidecar's) as its typed value, or {@code null} if it is not one (see {@link #mustBe()}). */
    public Object fromJson(JsonNode value) {
        return switch (kind) {
            case TEXT -> value.isTextual() ? value.textValue() : null;
            case MESSAGE_ID -> value.isTextual() || value.isIntegralNumber() ? value.asText() : null;
            case TRUE_OR_FALSE -> value.isBoolean() ? value.booleanValue() : null;
            case WHOLE_SECONDS -> value.isIntegralNumber() && value.canConvertToInt() ? value.intValue() : null;
        };
    }

    /** A form field's text as its typed value, or {@code null} if it is not one. */
    public Object fromText(String value) {
        return switch (kind) {
            case TEXT, MESSAGE_ID -> value;
            case TRUE_OR_FALSE -> value.equals("true") || value.equals("false") ? Boolean.valueOf(value) : null;
            case WHOLE_SECONDS -> value.trim().matches("-?\\d{1,9}") ? Integer.valueOf(value.trim()) : null;
        };
    }

    /** Why a value was refused: {@code viewOnce must be true or false}. */
    public String mustBe() {
        return field + " must be " + kind.expected;
    }
}
