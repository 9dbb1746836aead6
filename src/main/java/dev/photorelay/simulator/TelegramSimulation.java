package dev.photorelay.simulator;

import static dev.photorelay.simulator.PlatformSimulator.quote;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Telegram's {@code POST /bot<token>/sendPhoto} and {@code sendDocument} (the file in {@code document}): form fields as multipart (with the photo uploaded), JSON or
 * URL-encoded (with the photo as a URL or a {@code file_id}); errors as
 * {@code {"ok":false,"error_code":N,"description":"..."}}.
 */
final class TelegramSimulation {

    /** A chat the bot may not write to, to show a refusal: Telegram's 403 for a user who blocked the bot. */
    static final String BLOCKED_CHAT = "@blocked_user";
    private static final Pattern CHAT_ID = Pattern.compile("-?\\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31}");
    private static final Set<String> PARSE_MODES = Set.of("HTML", "Markdown", "MarkdownV2");
    private static final int MAX_CAPTION = 1024;
    /** Bots send documents of at most 50 MB. */
    private static final int MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
    /** Photos sent recently, by the file_id they were given, so that a file_id can be sent again. */
    private static final int REMEMBERED_FILES = 16;

    private final PlatformCredentials credentials;
    private final PhotoFetcher fetcher;
    private final Consumer<Received> listener;
    private final AtomicLong messageIds = new AtomicLong(100);
    private final Map<String, byte[]> files = new LinkedHashMap<>(REMEMBERED_FILES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > REMEMBERED_FILES;
        }
    };

    TelegramSimulation(PlatformCredentials credentials, PhotoFetcher fetcher, Consumer<Received> listener) {
        this.credentials = credentials;
        this.fetcher = fetcher;
        this.listener = listener;
    }

    SimulatedAnswer answer(SimulatedCall call, String token, String method) {
        PlatformSimulator.Intake intake = new PlatformSimulator.Intake("telegram", call, listener);
        if (!token.equals(credentials.telegramToken())) {
            return intake.answered(error(401, "Unauthorized"));
        }
        if (!"sendPhoto".equals(method) && !"sendDocument".equals(method)) {
            return intake.answered(error(404, "Not Found: method not found"));
        }
        String fileField = "sendPhoto".equals(method) ? "photo" : "document";
        Map<String, String> fields = new HashMap<>();
        FormData.Part upload;
        try {
            upload = readFields(call, fields, fileField);
        } catch (IllegalArgumentException e) {
            return intake.answered(error(400, "Bad Request: can't parse request body: " + e.getMessage()));
        }
        intake.recipient = fields.get("chat_id");
        intake.caption = fields.get("caption");
        if (intake.recipient == null || intake.recipient.isBlank()) {
            return intake.answered(error(400, "Bad Request: chat_id is empty"));
        }
        if (!CHAT_ID.matcher(intake.recipient).matches()) {
            return intake.answered(error(400, "Bad Request: chat not found"));
        }
        if (BLOCKED_CHAT.equals(intake.recipient)) {
            return intake.answered(error(403, "Forbidden: bot was blocked by the user"));
        }
        if (intake.caption != null && intake.caption.length() > MAX_CAPTION) {
            return intake.answered(error(400, "Bad Request: message caption is too long"));
        }
        String parseMode = fields.get("parse_mode");
        if (parseMode != null && !PARSE_MODES.contains(parseMode)) {
            return intake.answered(error(400, "Bad Request: unsupported parse_mode"));
        }
        String replyTo = fields.get("reply_to_message_id");
        if (replyTo != null && !replyTo.matches("\\d{1,18}")) {
            return intake.answered(error(400, "Bad Request: message to be replied not found"));
        }
        SimulatedAnswer refusal = upload != null
                ? takeUpload(upload, intake, "photo".equals(fileField) ? PlatformSimulator.MAX_PHOTO_BYTES : MAX_DOCUMENT_BYTES)
                : takeReference(fields.get(fileField), intake);
        if (refusal != null) {
            return intake.answered(refusal);
        }
        long messageId = messageIds.incrementAndGet();
        String fileId = "SIM" + Long.toString(messageId, 36) + "-" + intake.photo.length;
        synchronized (files) {
            files.put(fileId, intake.photo);
        }
        return intake.answered(SimulatedAnswer.json(200, "{\"ok\":true,\"result\":{\"message_id\":" + messageId
                + ",\"chat\":{\"id\":" + (intake.recipient.startsWith("@") ? quote(intake.recipient) : intake.recipient)
                + ",\"type\":\"private\"},\"date\":" + Instant.now().getEpochSecond() + ",\"photo\":[{\"file_id\":\"" + fileId + "\",\"file_unique_id\":\""
                + fileId + "\",\"file_size\":" + intake.photo.length + "}]"
                + (intake.caption == null ? "" : ",\"caption\":" + quote(intake.caption)) + "}}"));
    }

    /** Fills {@code fields} from the body and returns the uploaded photo part, if there is one. */
    private static FormData.Part readFields(SimulatedCall call, Map<String, String> fields, String fileField) {
        String type = call.contentType().toLowerCase();
        if (type.startsWith("multipart/form-data")) {
            FormData.Part upload = null;
            for (Map.Entry<String, FormData.Part> part : FormData.parse(call.contentType(), call.body()).entrySet()) {
                if (part.getValue().fileName() != null) {
                    if (part.getKey().equals(fileField)) {
                        upload = part.getValue();
                    }
                } else {
                    fields.put(part.getKey(), part.getValue().text());
                }
            }
            return upload;
        }
        if (type.startsWith("application/json")) {
            if (!(JsonReader.read(new String(call.body(), StandardCharsets.UTF_8)) instanceof Map<?, ?> json)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            json.forEach((name, value) -> {
                if (value != null) {
                    fields.put(name.toString(), value instanceof Double d && d == Math.rint(d)
                            ? Long.toString(d.longValue()) : value.toString());
                }
            });
            return null;
        }
        if (type.startsWith("application/x-www-form-urlencoded")) {
            for (String pair : new String(call.body(), StandardCharsets.US_ASCII).split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return null; // Telegram reads no fields from any other body
    }

    private static SimulatedAnswer takeUpload(FormData.Part upload, PlatformSimulator.Intake intake, int maxBytes) {
        intake.photo = upload.content();
        if (intake.photo.length == 0) {
            return error(400, "Bad Request: file must be non-empty");
        }
        if (intake.photo.length > maxBytes) {
            return error(400, "Bad Request: file is too big");
        }
        intake.mediaType = PlatformSimulator.imageType(intake.photo);
        return intake.mediaType == null ? error(400, "Bad Request: IMAGE_PROCESS_FAILED") : null;
    }

    /** A photo given as a URL Telegram fetches, or as the file_id of a photo it already has. */
    private SimulatedAnswer takeReference(String photo, PlatformSimulator.Intake intake) {
        if (photo == null || photo.isBlank()) {
            return error(400, "Bad Request: there is no photo in the request");
        }
        if (PhotoFetcher.isHttpUrl(photo)) {
            intake.imageUrl = photo;
            try {
                intake.photo = fetcher.fetch(photo);
            } catch (IOException e) {
                return error(400, "Bad Request: failed to get HTTP URL content");
            }
            intake.fetchedBytes = intake.photo.length;
            intake.mediaType = PlatformSimulator.imageType(intake.photo);
            if (intake.mediaType == null) {
                intake.photo = null; // what is not an image is not kept
                return error(400, "Bad Request: wrong type of the web page content");
            }
            return null;
        }
        synchronized (files) {
            intake.photo = files.get(photo);
        }
        if (intake.photo == null) {
            return error(400, "Bad Request: wrong file identifier/HTTP URL specified");
        }
        intake.mediaType = PlatformSimulator.imageType(intake.photo);
        return null;
    }

    private static SimulatedAnswer error(int code, String description) {
        return SimulatedAnswer.json(code, "{\"ok\":false,\"error_code\":" + code + ",\"description\":"
                + quote(description) + "}");
    }
}
