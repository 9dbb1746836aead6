package dev.photorelay.simulator;

import static dev.photorelay.simulator.PlatformSimulator.quote;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telegram's {@code POST /bot<token>/sendPhoto}, {@code sendDocument} (the file in {@code document}) and
 * {@code sendMediaGroup} (an album): form fields as multipart (with the photos uploaded), JSON or URL-encoded (with
 * the photos as URLs or {@code file_id}s). And the bot's side of messages users send it: {@code getUpdates},
 * {@code getFile} and the file download {@code GET /file/bot<token>/<file_path>}. Parameters may come in the query
 * string too, as the Bot API takes them; errors as {@code {"ok":false,"error_code":N,"description":"..."}}.
 */
final class TelegramSimulation {

    /** A chat the bot may not write to, to show a refusal: Telegram's 403 for a user who blocked the bot. */
    static final String BLOCKED_CHAT = "@blocked_user";
    private static final Pattern LEADING_INTEGER = Pattern.compile("^-?\\d{1,18}");
    private static final Pattern CHAT_ID = Pattern.compile("-?\\d{1,20}|@" + BotUpdates.USERNAME.pattern());
    private static final Set<String> SENDING = Set.of("sendPhoto", "sendDocument", "sendMediaGroup");
    private static final Set<String> PARSE_MODES = Set.of("HTML", "Markdown", "MarkdownV2");
    private static final int MAX_CAPTION = 1024;
    /** Bot API, sendMediaGroup: "must include 2-10 items". */
    private static final int MIN_ALBUM = 2;
    private static final int MAX_ALBUM = 10;
    private static final String ATTACH = "attach://";
    /** Bots send documents of at most 50 MB. */
    private static final int MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

    private final PlatformCredentials credentials;
    private final PhotoFetcher fetcher;
    private final Supplier<String> albumIds;
    private final Consumer<Received> listener;
    private final AtomicLong messageIds = new AtomicLong(100);
    private final TelegramFiles files = new TelegramFiles();
    private final BotUpdates updates;

    /**
     * A request's parameters, however they came: text, or in a JSON body also arrays and objects as read; and its
     * uploaded files by part name.
     */
    private record Parameters(Map<String, Object> values, Map<String, FormData.Part> files) {

        /** The parameter as text, or {@code null} if it is absent or not text. */
        String text(String name) {
            return values.get(name) instanceof String text ? text : null;
        }
    }

    /** One item of an album as the request gives it, before its file is taken in. */
    private record InputMedia(String type, String media, FormData.Part upload, String caption, String parseMode) {
    }

    /** {@code albumIds} gives each album its {@code media_group_id}. */
    TelegramSimulation(PlatformCredentials credentials, PhotoFetcher fetcher, Supplier<String> albumIds,
            Consumer<Received> listener) {
        this.credentials = credentials;
        this.fetcher = fetcher;
        this.albumIds = albumIds;
        this.listener = listener;
        updates = new BotUpdates(files, messageIds);
    }

    /** See {@link PlatformSimulator#sendToBot}. */
    long sendToBot(long chatId, String fromUsername, String caption, byte[] content, boolean asDocument, String fileName) {
        return updates.add(chatId, fromUsername, caption, content, asDocument, fileName);
    }

    SimulatedAnswer answer(SimulatedCall call, String token, String method) {
        PlatformSimulator.Intake intake = new PlatformSimulator.Intake("telegram", call, listener);
        // the listener hears of photos sent (or refused), not of the bot's polls and downloads
        UnaryOperator<SimulatedAnswer> answered = SENDING.contains(method) ? intake::answered : answer -> answer;
        if (!token.equals(credentials.telegramToken())) {
            return answered.apply(error(401, "Unauthorized"));
        }
        if (!SENDING.contains(method) && !"getUpdates".equals(method) && !"getFile".equals(method)) {
            return answered.apply(error(404, "Not Found: method not found"));
        }
        Parameters request;
        try {
            request = read(call);
        } catch (IllegalArgumentException e) {
            return answered.apply(error(400, "Bad Request: can't parse request body: " + e.getMessage()));
        }
        if ("getUpdates".equals(method)) {
            // the Bot API server clamps these rather than refusing them
            return updates.getUpdates(integer(request.text("offset"), 0, Long.MIN_VALUE, Long.MAX_VALUE),
                    (int) integer(request.text("limit"), 100, 1, 100),
                    (int) integer(request.text("timeout"), 0, 0, BotUpdates.MAX_TIMEOUT_SECONDS));
        }
        if ("getFile".equals(method)) {
            return getFile(request.text("file_id"));
        }
        intake.recipient = request.text("chat_id");
        intake.caption = request.text("caption");
        SimulatedAnswer refusal = chatRefusal(request, intake.recipient);
        if (refusal != null) {
            return intake.answered(refusal);
        }
        if ("sendMediaGroup".equals(method)) {
            return sendMediaGroup(request, intake);
        }
        String type = "sendPhoto".equals(method) ? "photo" : "document";
        refusal = captionRefusal(intake.caption, request.text("parse_mode"));
        if (refusal == null) {
            FormData.Part upload = request.files().get(type);
            refusal = upload != null ? takeUpload(upload, intake, maxBytes(type))
                    : takeReference(request.text(type), intake);
        }
        if (refusal != null) {
            return intake.answered(refusal);
        }
        return intake.answered(SimulatedAnswer.json(200, "{\"ok\":true,\"result\":"
                + message(intake, type, messageIds.incrementAndGet(), null) + "}"));
    }

    /**
     * An integer parameter as the Bot API server reads one: {@code absent} if it is not given, its leading digits
     * (0 if none), brought within {@code min..max}: it clamps a getUpdates {@code limit} rather than refusing it.
     */
    private static long integer(String text, long absent, long min, long max) {
        if (text == null || text.isEmpty()) {
            return absent;
        }
        Matcher digits = LEADING_INTEGER.matcher(text);
        return Math.max(min, Math.min(max, digits.find() ? Long.parseLong(digits.group()) : 0));
    }

    /**
     * Bot API getFile: the File for a {@code file_id} the bot was given, with the {@code file_path} to download it
     * at; a file over 20 MB cannot be downloaded by a bot and is refused.
     */
    private SimulatedAnswer getFile(String fileId) {
        TelegramFiles.File file = fileId == null ? null : files.byId(fileId);
        if (file == null) {
            return error(400, "Bad Request: invalid file_id");
        }
        if (file.bytes() == null) {
            return error(400, "Bad Request: file is too big");
        }
        return SimulatedAnswer.json(200, "{\"ok\":true,\"result\":{" + file.fields() + ",\"file_path\":"
                + quote(file.path()) + "}}");
    }

    /** The file download, {@code GET /file/bot<token>/<file_path>}: the file's bytes, as Telegram serves them. */
    SimulatedAnswer download(String token, String path) {
        if (!token.equals(credentials.telegramToken())) {
            return error(401, "Unauthorized");
        }
        TelegramFiles.File file = files.byPath(path);
        // a file over 20 MB has no path a bot was given (getFile refused it)
        return file == null || file.bytes() == null ? error(404, "Not Found")
                : new SimulatedAnswer(200, "application/octet-stream", file.bytes());
    }

    /**
     * An album (Bot API: sendMediaGroup, InputMediaPhoto, InputMediaDocument): {@code media} is a JSON array of 2-10
     * items {@code {"type": "photo"|"document", "media": ..., "caption"?, "parse_mode"?}}, each {@code media} a URL,
     * a {@code file_id} or {@code attach://<name>} of a file part of the request. Documents go only with documents
     * and each file meets sendPhoto's (or sendDocument's) limits; the wording is the Bot API server's. A request it
     * cannot read as an album is refused as one call; once it is read, each photo is taken in and reported with the
     * album's one answer, so one bad photo refuses them all. Answers one Message per item, in order, sharing a
     * {@code media_group_id}.
     */
    private SimulatedAnswer sendMediaGroup(Parameters request, PlatformSimulator.Intake intake) {
        List<InputMedia> items = new ArrayList<>();
        try {
            for (Object item : mediaArray(request.values().get("media"))) {
                items.add(inputMedia(item, request.files()));
            }
        } catch (IllegalArgumentException e) {
            return intake.answered(error(400, "Bad Request: " + e.getMessage()));
        }
        if (items.size() > MAX_ALBUM) {
            return intake.answered(error(400, "Bad Request: too many messages to send as an album"));
        }
        if (items.size() < MIN_ALBUM) {
            // the real server sends a lone item as a plain message; a relay should not lean on what is not documented
            return intake.answered(error(400, "Bad Request: media must include 2-10 items"));
        }
        if (items.stream().map(InputMedia::type).distinct().count() > 1) {
            return intake.answered(error(400, "Bad Request: document can't be mixed with other media types"));
        }
        for (InputMedia item : items) {
            SimulatedAnswer refusal = captionRefusal(item.caption(), item.parseMode());
            if (refusal != null) {
                return intake.answered(refusal);
            }
        }
        String album = albumIds.get();
        List<PlatformSimulator.Intake> photos = new ArrayList<>();
        for (InputMedia item : items) {
            PlatformSimulator.Intake photo = intake.albumItem(album, photos.size());
            photo.caption = item.caption();
            photos.add(photo);
        }
        for (int i = 0; i < items.size(); i++) {
            InputMedia item = items.get(i);
            SimulatedAnswer refusal = item.upload() != null
                    ? takeUpload(item.upload(), photos.get(i), maxBytes(item.type()))
                    : takeReference(item.media(), photos.get(i));
            if (refusal != null) {
                return PlatformSimulator.Intake.answered(photos, refusal);
            }
        }
        long firstId = messageIds.getAndAdd(items.size()) + 1;
        StringJoiner messages = new StringJoiner(",", "{\"ok\":true,\"result\":[", "]}");
        for (int i = 0; i < items.size(); i++) {
            messages.add(message(photos.get(i), items.get(i).type(), firstId + i, album));
        }
        return PlatformSimulator.Intake.answered(photos, SimulatedAnswer.json(200, messages.toString()));
    }

    /** The {@code media} parameter as a list, or {@link IllegalArgumentException} in the Bot API server's words. */
    private static List<?> mediaArray(Object media) {
        if (media == null) {
            throw new IllegalArgumentException("parameter \"media\" is required");
        }
        if (media instanceof String json) {
            try {
                media = JsonReader.read(json);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("can't parse media JSON object");
            }
        }
        if (!(media instanceof List<?> items)) {
            throw new IllegalArgumentException("expected an Array of InputMedia");
        }
        return items;
    }

    /** One item of {@code media}, or {@link IllegalArgumentException} in the Bot API server's words. */
    private static InputMedia inputMedia(Object item, Map<String, FormData.Part> files) {
        if (!(item instanceof Map<?, ?> object)) {
            throw new IllegalArgumentException("can't parse InputMedia: expected an Object");
        }
        if (!(object.get("type") instanceof String type)) {
            throw new IllegalArgumentException("can't parse InputMedia: Can't find field \"type\"");
        }
        if (!"photo".equals(type) && !"document".equals(type)) {
            // the simulator knows photos and documents only: Telegram's videos and audio are no concern of the relay
            throw new IllegalArgumentException("can't parse InputMedia: type \"" + type + "\" is unsupported");
        }
        String media = object.get("media") instanceof String text ? text : "";
        FormData.Part upload = media.startsWith(ATTACH) ? files.get(media.substring(ATTACH.length())) : null;
        if (media.isEmpty() || media.startsWith(ATTACH) && upload == null) {
            throw new IllegalArgumentException("can't parse InputMedia: media not found");
        }
        return new InputMedia(type, media, upload, object.get("caption") instanceof String caption ? caption : null,
                object.get("parse_mode") instanceof String parseMode ? parseMode : null);
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
        String replyTo = request.text("reply_to_message_id");
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
     * The Message Telegram answers for a photo or document it took in (Bot API: Message, PhotoSize, Document), one of
     * the album {@code mediaGroupId} unless that is {@code null}. The file is kept, so that its {@code file_id}
     * can be sent again.
     */
    private String message(PlatformSimulator.Intake intake, String type, long messageId, String mediaGroupId) {
        String file = files.add(type + "s", intake.photo, null).fields();
        return "{\"message_id\":" + messageId
                + ",\"chat\":{\"id\":" + (intake.recipient.startsWith("@") ? quote(intake.recipient) : intake.recipient)
                + ",\"type\":\"private\"},\"date\":" + Instant.now().getEpochSecond()
                + (mediaGroupId == null ? "" : ",\"media_group_id\":" + quote(mediaGroupId))
                + ("photo".equals(type) ? ",\"photo\":[{" + file + "}]"
                        : ",\"document\":{" + file + ",\"mime_type\":" + quote(intake.mediaType) + "}")
                + (intake.caption == null ? "" : ",\"caption\":" + quote(intake.caption)) + "}";
    }

    /**
     * The parameters of the query string and of a multipart, JSON or URL-encoded body (where a parameter is in both,
     * the body's); Telegram reads none from any other body.
     */
    private static Parameters read(SimulatedCall call) {
        Map<String, Object> values = new HashMap<>();
        Map<String, FormData.Part> files = new HashMap<>();
        urlEncoded(call.query(), values);
        String type = call.contentType().toLowerCase();
        if (type.startsWith("multipart/form-data")) {
            FormData.parse(call.contentType(), call.body()).forEach((name, part) -> {
                if (part.fileName() != null) {
                    files.put(name, part);
                } else {
                    values.put(name, part.text());
                }
            });
        } else if (type.startsWith("application/json")) {
            if (!(JsonReader.read(new String(call.body(), StandardCharsets.UTF_8)) instanceof Map<?, ?> json)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            json.forEach((name, value) -> {
                if (value != null) {
                    values.put(name.toString(), value instanceof Double d && d == Math.rint(d)
                            ? Long.toString(d.longValue())
                            : value instanceof List<?> || value instanceof Map<?, ?> ? value : value.toString());
                }
            });
        } else if (type.startsWith("application/x-www-form-urlencoded")) {
            urlEncoded(new String(call.body(), StandardCharsets.US_ASCII), values);
        }
        return new Parameters(values, files);
    }

    /** Puts the {@code name=value} pairs of a query string or URL-encoded body into {@code values}. */
    private static void urlEncoded(String pairs, Map<String, Object> values) {
        for (String pair : pairs.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
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
        TelegramFiles.File file = files.byId(photo);
        intake.photo = file == null ? null : file.bytes();
        if (intake.photo == null) {
            return error(400, "Bad Request: wrong file identifier/HTTP URL specified");
        }
        intake.mediaType = PlatformSimulator.imageType(intake.photo);
        return null;
    }

    static SimulatedAnswer error(int code, String description) {
        return SimulatedAnswer.json(code, "{\"ok\":false,\"error_code\":" + code + ",\"description\":"
                + quote(description) + "}");
    }

    /** getUpdates calls so far (see {@link BotUpdates#polls()}). */
    long botPolls() {
        return updates.polls();
    }
}
