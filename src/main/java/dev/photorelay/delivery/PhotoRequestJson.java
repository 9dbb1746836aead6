package dev.photorelay.delivery;

import dev.photorelay.Printable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * A photo request as one JSON object, the form the HTTP API's JSON body and a Kafka record's value share:
 * {@code image} (an http(s) URL, a {@code data:} URI or a Telegram file_id) or {@code images} (a list of them, an
 * album), {@code target} and {@code recipient} or {@code destination}, and the send options ({@link SendOption}'s
 * fields: {@code caption}, {@code parseMode}, ...), each becoming the {@link PhotoHeaders} header
 * {@code direct:send-photo} reads.
 */
public final class PhotoRequestJson {

    /** The request fields, and the header each becomes. */
    public static final Map<String, String> FIELDS;

    static {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("target", PhotoHeaders.TARGET);
        fields.put("recipient", PhotoHeaders.RECIPIENT);
        fields.put("destination", PhotoHeaders.DESTINATION);
        for (SendOption option : SendOption.values()) {
            fields.put(option.field(), option.header());
        }
        FIELDS = Collections.unmodifiableMap(fields);
    }

    private final ObjectReader reader;
    private final Set<String> ownFields;

    /**
     * @param json      the relay's mapper
     * @param ownFields fields the input takes besides {@link #FIELDS} (a Kafka request's {@code id}); copied as text
     */
    public PhotoRequestJson(ObjectMapper json, Set<String> ownFields) {
        // a key given twice is refused, not read as its last value; so is text after the object
        this.reader = json.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.ownFields = ownFields;
    }

    /**
     * Reads one request.
     *
     * @param  body                   the JSON, UTF-8
     * @param  fields                 receives each field given (by its JSON name) as text
     * @return                        the image (a String) or an album's images (a List of String), as given
     * @throws PhotoDeliveryException {@code INVALID_REQUEST}: not one JSON object, an unknown field, a field of the
     *                                wrong type, no image
     */
    public Object read(byte[] body, Map<String, String> fields) throws PhotoDeliveryException {
        JsonNode request = null;
        try {
            request = body == null ? null : reader.readTree(body);
        } catch (IOException e) {
            // reported below
        }
        if (request == null || !request.isObject()) {
            throw invalid("the body is not one JSON object (not JSON, a key given twice, or text after the object)");
        }
        Object image = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = request.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (field.getKey().equals("image") || field.getKey().equals("images")) {
                if (image != null) {
                    throw invalid("give either image or images, not both");
                }
                image = field.getKey().equals("image") ? image(value) : images(value);
            } else if (FIELDS.containsKey(field.getKey()) || ownFields.contains(field.getKey())) {
                if (!value.isValueNode() || value.isNull()) {
                    throw invalid(field.getKey() + " must be a string, a number or true/false");
                }
                fields.put(field.getKey(), value.asText());
            } else {
                List<String> known = new ArrayList<>(ownFields);
                known.addAll(FIELDS.keySet());
                throw invalid("unknown field '" + Printable.of(field.getKey(), 80) + "' (known: image, images, " + String.join(", ", known)
                        + ")");
            }
        }
        if (image == null) {
            throw invalid("no image: give an http(s) URL, a data: URI or a Telegram file_id (images: a list of them, "
                    + "an album)");
        }
        return image;
    }

    private static String image(JsonNode value) throws PhotoDeliveryException {
        if (!value.isTextual()) {
            throw invalid("image must be a string: an http(s) URL, a data: URI or a Telegram file_id");
        }
        return value.textValue();
    }

    private static List<String> images(JsonNode value) throws PhotoDeliveryException {
        if (!value.isArray()) {
            throw invalid("images must be a list of strings: http(s) URLs, data: URIs or Telegram file_ids");
        }
        List<String> images = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            images.add(image(item));
        }
        return images;
    }

    private static PhotoDeliveryException invalid(String why) {
        return new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, why);
    }
}
