package dev.photorelay.bench;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A Telegram {@code sendPhoto} body: {@code chat_id} and {@code photo}, the photo streamed from its file. */
final class Multipart {

    private static final String BOUNDARY = "photo-relay-bench-4f1c9a";

    private Multipart() {
    }

    static String contentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    static HttpRequest.BodyPublisher body(String chatId, Path photo) throws FileNotFoundException {
        String head = "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"chat_id\"\r\n\r\n"
                + chatId + "\r\n"
                + "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"photo\"; filename=\"" + photo.getFileName() + "\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n";
        String tail = "\r\n--" + BOUNDARY + "--\r\n";
        return HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofByteArray(head.getBytes(StandardCharsets.UTF_8)),
                HttpRequest.BodyPublishers.ofFile(photo),
                HttpRequest.BodyPublishers.ofByteArray(tail.getBytes(StandardCharsets.UTF_8)));
    }
}
