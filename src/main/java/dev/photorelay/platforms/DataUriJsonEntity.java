package dev.photorelay.platforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.media.DataUri;
import dev.photorelay.media.Photo;

/**
 * A JSON object with one field holding a photo as a {@code data:} URI, streamed: the photo is read and encoded in
 * base64 while it is sent. Built as text, a 5 MB photo would be held three times over (URI, JSON, bytes), and the
 * JSON writer would scan every one of its characters.
 */
final class DataUriJsonEntity extends AbstractHttpEntity {

    private final byte[] head;
    private final Photo.Content photo;
    private final byte[] tail;

    /** {@code {<before>, "<field>": "data:...", <after>}}, in that order. */
    DataUriJsonEntity(ObjectMapper json, Map<String, Object> before, String field, Photo.Content photo,
            Map<String, Object> after) throws JsonProcessingException {
        super(ContentType.APPLICATION_JSON, null);
        String opening = inner(json, before);
        String closing = inner(json, after);
        this.head = ("{" + opening + (opening.isEmpty() ? "" : ",") + json.writeValueAsString(field) + ":\""
                + DataUri.prefix(photo)).getBytes(StandardCharsets.UTF_8);
        this.photo = photo;
        this.tail = ("\"" + (closing.isEmpty() ? "" : ",") + closing + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The members of a JSON object, without its braces. */
    private static String inner(ObjectMapper json, Map<String, Object> fields) throws JsonProcessingException {
        String object = json.writeValueAsString(fields);
        return object.substring(1, object.length() - 1);
    }

    @Override
    public long getContentLength() {
        return head.length + DataUri.encodedLength(photo) + tail.length;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(head);
        DataUri.writeEncoded(photo, out);
        out.write(tail);
        out.flush();
    }

    /** Sent with {@link #writeTo} only: the body is never read back as a stream. */
    @Override
    public InputStream getContent() {
        throw new UnsupportedOperationException("a streamed data URI body is written, not read");
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
        // nothing held open: the photo is opened by each writeTo
    }

    @Override
    public String toString() {
        return "JSON with a data URI of " + photo.size() + " photo bytes";
    }
}
