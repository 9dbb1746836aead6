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
 * Telegram's {@code POST /bot<token>/sendPhoto} and {@code sendDocument} (the file in {@code document}): form fields
 * as multipart (with the photo uploaded), JSON or URL-encoded (with the photo as a URL or a {@code file_id}); errors
 * as {@code {"ok":false,"error_code":N,"description":"..."}}.
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

    /** A request's parameters, however they came: its text fields, and its uploaded files by part name. */
    private record Parameters(Map<String, String> fields, Map<String, FormData.Part> files) {
    }

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
        Parameters request;
        try {
            request = read(call);
        } catch (IllegalArgumentException e) {
            return intake.answered(error(400, "Bad Request: can't parse request body: " + e.getMessage()));
        }
        intake.recipient = request.fields().get("chat_id");
        intake.caption = request.fields().get("caption");
        SimulatedAnswer refusal = chatRefusal(request, intake.recipient);
        if (refusal != null) {
            return intake.answered(refusal);
        }
        String type = "sendPhoto".equals(method) ? "photo" : "document";
        refusal = captionRefusal(intake.caption, request.fields().get("parse_mode"));
        if (refusal == null) {
            FormData.Part upload = request.files().get(type);
            refusal = upload != null ? takeUpload(upload, intake, maxBytes(type))
                    : takeReference(request.fields().get(type), intake);
        }
        if (refusal != null) {
            return intake.answered(refusal);
        }
        return intake.answered(SimulatedAnswer.json(200, "{\"ok\":true,\"result\":"
                + message(intake, type, messageIds.incrementAndGet()) + "}"));
    }

    /** The chat checks of every send method, or {@code null} if the chat can be written to. */
    private static SimulatedAnswer chatRefusal(Parameters request, String chatId) {
        if (chatId == null || chatId.isBlank()) {
            return error(400, "Bad Request: chat_id is empty");
        }
        if (!CHAT_ID.matcher(chatId).matches()) {
            return error(400, "Bad Request: chat not found");
        }
        if (BLOCKED_CHAT.equals(chatId)) {
            return error(403, "Forbidden: bot was blocked by the user");
        }
        String replyTo = request.fields().get("reply_to_message_id");
        if (replyTo != null && !replyTo.matches("\\d{1,18}")) {
            return error(400, "Bad Request: message to be replied not found");
        }
        return null;
    }

    /** A caption's checks, the same for a single photo and for each item of an album; {@code null} if it passes. */
    private static SimulatedAnswer captionRefusal(String caption, String parseMode) {
        if (caption != null && caption.length() > MAX_CAPTION) {
            return error(400, "Bad Request: message caption is too long");
        }
        if (parseMode != null && !PARSE_MODES.contains(parseMode)) {
            return error(400, "Bad Request: unsupported parse_mode");
        }
        return null;
    }

    private static int maxBytes(String type) {
        return "photo".equals(type) ? PlatformSimulator.MAX_PHOTO_BYTES : MAX_DOCUMENT_BYTES;
    }

    /**
     * The Message Telegram answers for a photo or document it took in (Bot API: Message, PhotoSize, Document). The
     * file is remembered, so that its {@code file_id} can be sent again.
     */
    private String message(PlatformSimulator.Intake intake, String type, long messageId) {
        String fileId = "SIM" + Long.toString(messageId, 36) + "-" + intake.photo.length;
        synchronized (files) {
            files.put(fileId, intake.photo);
        }
        String file = "\"file_id\":\"" + fileId + "\",\"file_unique_id\":\"" + fileId + "\",\"file_size\":"
                + intake.photo.length;
        return "{\"message_id\":" + messageId
                + ",\"chat\":{\"id\":" + (intake.recipient.startsWith("@") ? quote(intake.recipient) : intake.recipient)
                + ",\"type\":\"private\"},\"date\":" + Instant.now().getEpochSecond()
                + ("photo".equals(type) ? ",\"photo\":[{" + file + "}]"
                        : ",\"document\":{" + file + ",\"mime_type\":" + quote(intake.mediaType) + "}")
                + (intake.caption == null ? "" : ",\"caption\":" + quote(intake.caption)) + "}";
    }

    /** The parameters of a multipart, JSON or URL-encoded body; Telegram reads none from any other body. */
    private static Parameters read(SimulatedCall call) {
        Map<String, String> fields = new HashMap<>();
        Map<String, FormData.Part> files = new HashMap<>();
        String type = call.contentType().toLowerCase();
        if (type.startsWith("multipart/form-data")) {
            FormData.parse(call.contentType(), call.body()).forEach((name, part) -> {
                if (part.fileName() != null) {
                    files.put(name, part);
                } else {
                    fields.put(name, part.text());
                }
            });
        } else if (type.startsWith("application/json")) {
            if (!(JsonReader.read(new String(call.body(), StandardCharsets.UTF_8)) instanceof Map<?, ?> json)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            json.forEach((name, value) -> {
                if (value != null) {
                    fields.put(name.toString(), value instanceof Double d && d == Math.rint(d)
                            ? Long.toString(d.longValue()) : value.toString());
                }
            });
        } else if (type.startsWith("application/x-www-form-urlencoded")) {
            for (String pair : new String(call.body(), StandardCharsets.US_ASCII).split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return new Parameters(fields, files);
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
