package dev.photorelay.platforms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.Adjustments;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.Recipient;
import dev.photorelay.delivery.SendOptions;
import dev.photorelay.delivery.Target;
import dev.photorelay.media.Photo;
import dev.photorelay.media.PhotoLimits;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Telegram Bot API {@code sendPhoto} (or {@code sendDocument} for a photo sent as a file): a multipart upload
 * streamed from the photo's file, or a URL / file_id as a JSON field; an album's photos go 2 to 10 at a time with
 * {@code sendMediaGroup}. A reply is a success only if it says
 * {@code "ok": true}, whatever its HTTP status. Two refusals say how to get through, and the photo is sent once
 * more at once: a caption whose markup Telegram cannot parse goes as plain text, and a group that became a
 * supergroup ({@code parameters.migrate_to_chat_id}) is sent to under its new id, by later photos too.
 */
@Singleton
@Named("telegramApi")
@RegisterForReflection
public class TelegramApi extends PlatformApi {

    /**
     * Bot API: photo uploads at most 10 MB, width + height at most 10000, aspect ratio at most 20; documents sent by
     * a bot at most 50 MB.
     */
    static final PhotoLimits LIMITS = new PhotoLimits(10L * 1024 * 1024, 10_000, 20, 50L * 1024 * 1024);
    static final int MAX_CAPTION = 1024;
    /** Bot API: a media group holds 2 to 10 items. */
    static final int MAX_GROUP = 10;
    private static final ContentType UTF8_TEXT = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);
    private static final Logger LOG = Logger.getLogger(TelegramApi.class);
    /** Bot API: a supergroup's id is a negative number starting with -100. */
    private static final Pattern SUPERGROUP = Pattern.compile("-100\\d{1,16}");

    private final RelayConfig.Telegram config;
    /** Chats that became supergroups while the relay ran: old chat id to new. */
    private final Map<String, String> migrated = new ConcurrentHashMap<>();

    public TelegramApi(RelayConfig config, ObjectMapper json) {
        super(json);
        this.config = config.telegram();
    }

    @Override
    public Target target() {
        return Target.TELEGRAM;
    }

    @Override
    protected Map<String, Optional<String>> credentials() {
        return Map.of("relay.telegram.token", config.token());
    }

    @Override
    public PhotoLimits limits() {
        return LIMITS;
    }

    /** Telegram takes a URL and a file_id alike. */
    @Override
    public PhotoDeliveryException refusal(Photo photo) {
        return null;
    }

    /** Bot API {@code sendMediaGroup}: 2 to 10 photos (or documents) in one album message. */
    @Override
    public int maxPhotosPerCall() {
        return MAX_GROUP;
    }

    @Override
    protected void prepare(List<Photo> photos, boolean asDocument, SendOptions options, Recipient recipient,
            Adjustments adjustments, Message message) throws PhotoDeliveryException, IOException {
        String parseMode = adjustments.captionAsPlainText() ? null : options.parseMode();
        requireCaptionWithin(TelegramCaptions.length(options.caption(), parseMode), MAX_CAPTION, target());
        Long replyTo = replyTo(options);
        String moved = migrated.get(recipient.id());
        if (moved != null) {
            adjustments.sendTo(moved, false);
        }
        String chatId = adjustments.migratedTo() != null ? adjustments.migratedTo() : recipient.id();
        adjustments.markupSent(parseMode != null && options.caption() != null);
        String field = asDocument ? "document" : "photo";
        String method;
        if (photos.size() > 1) {
            message.setBody(mediaGroup(photos, field, chatId, options.caption(), parseMode, replyTo));
            method = "/sendMediaGroup";
        } else {
            Map<String, Object> optional = fields("caption", options.caption(), "parse_mode", parseMode,
                    "reply_to_message_id", replyTo);
            Photo photo = photos.get(0);
            if (photo instanceof Photo.Content content) {
                MultipartEntityBuilder multipart = MultipartEntityBuilder.create().addTextBody("chat_id", chatId,
                        UTF8_TEXT);
                addFile(multipart, field, content);
                optional.forEach((name, value) -> multipart.addTextBody(name, value.toString(), UTF8_TEXT));
                message.setBody(multipart.build());
            } else {
                Map<String, Object> json = fields("chat_id", chatId, field, ((Photo.Link) photo).value());
                json.putAll(optional);
                message.setBody(jsonEntity(json));
            }
            method = asDocument ? "/sendDocument" : "/sendPhoto";
        }
        message.setHeader(Exchange.HTTP_PATH, "/bot" + config.token().orElseThrow() + method);
    }

    /**
     * Bot API {@code sendMediaGroup}: {@code media} is a JSON array of InputMediaPhoto (or InputMediaDocument), each
     * naming its file part as {@code attach://<name>}, or a URL / file_id; the caption goes on the first item, which
     * clients show as the album's caption.
     */
    private HttpEntity mediaGroup(List<Photo> photos, String type, String chatId, String caption, String parseMode,
            Long replyTo) throws IOException {
        MultipartEntityBuilder multipart = MultipartEntityBuilder.create().addTextBody("chat_id", chatId, UTF8_TEXT);
        List<Map<String, Object>> media = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            Photo photo = photos.get(i);
            String reference;
            if (photo instanceof Photo.Content content) {
                reference = "attach://" + type + i;
                addFile(multipart, type + i, content);
            } else {
                reference = ((Photo.Link) photo).value();
            }
            media.add(i == 0 ? fields("type", type, "media", reference, "caption", caption, "parse_mode", parseMode)
                    : fields("type", type, "media", reference));
        }
        multipart.addTextBody("media", json.writeValueAsString(media), UTF8_TEXT);
        if (replyTo != null) {
            multipart.addTextBody("reply_to_message_id", replyTo.toString(), UTF8_TEXT);
        }
        return multipart.build();
    }

    /** A photo as a file part, streamed from its file (or its bytes in memory). */
    private static void addFile(MultipartEntityBuilder multipart, String name, Photo.Content content) {
        ContentType type = ContentType.create(content.type().mime());
        if (content.file() != null) {
            multipart.addPart(name, new PhotoFileBody(content.file().toFile(), type, content.fileName()));
        } else {
            multipart.addBinaryBody(name, content.bytes(), type, content.fileName());
        }
    }

    /**
     * Bot API: {@code parameters.migrate_to_chat_id} names the supergroup a group became (messages to the old id keep
     * failing); {@code can't parse entities} refuses a caption's markup.
     */
    @Override
    protected void adjust(PlatformRejection rejection, String answer, Recipient recipient, Adjustments adjustments) {
        JsonNode reply;
        try {
            reply = jsonAnswer(rejection.httpStatus(), answer);
        } catch (PlatformRejection notJson) {
            return;
        }
        String chatId = reply.path("parameters").path("migrate_to_chat_id").asText("");
        String current = adjustments.migratedTo() != null ? adjustments.migratedTo() : recipient.id();
        if (SUPERGROUP.matcher(chatId).matches() && !chatId.equals(current)) {
            if (adjustments.sendTo(chatId, true) && !chatId.equals(migrated.put(recipient.id(), chatId))) {
                LOG.warnf("Telegram chat %s became a supergroup with chat id %s: this photo and later ones to %s go "
                        + "there until the relay restarts; rename its inbox folder to telegram/%s (or change its "
                        + "alias entry)", Printable.of(recipient.id()), chatId, Printable.of(recipient.id()), chatId);
            }
            return;
        }
        if (reply.path("description").asText("").toLowerCase(Locale.ROOT).contains("can't parse entities")) {
            adjustments.sendCaptionAsPlainText();
        }
    }

    @Override
    protected Outcome accept(int status, String answer, Recipient recipient) throws PlatformRejection {
        JsonNode reply = jsonAnswer(status, answer);
        if (reply.path("ok").asBoolean(false)) {
            JsonNode result = reply.path("result");
            if (result.isArray()) {
                // sendMediaGroup: one Message per item, in order
                List<String> ids = new ArrayList<>();
                result.forEach(sent -> ids.add(sent.path("message_id").asText(null)));
                return Outcome.sent(recipient, ids, status);
            }
            JsonNode messageId = result.path("message_id");
            return Outcome.sent(recipient, messageId.isMissingNode() ? null : messageId.asText(), status);
        }
        throw refusal(status, reply);
    }

    /** Telegram explains a failure in a JSON body ({@code error_code}, {@code description}), whatever the status. */
    @Override
    protected PlatformRejection refusal(int status, String answer) {
        try {
            return refusal(status, jsonAnswer(status, answer));
        } catch (PlatformRejection notJson) {
            return rejection(status, status, answer, false);
        }
    }

    /** Telegram's flood control says how long to wait in {@code parameters.retry_after} (seconds; can be hours). */
    private static PlatformRejection refusal(int status, JsonNode reply) {
        PlatformRejection rejection = rejection(status, reply.path("error_code").asInt(status),
                reply.path("description").asText("Telegram answered ok: false"), false);
        JsonNode retryAfter = reply.path("parameters").path("retry_after");
        return retryAfter.canConvertToLong() && retryAfter.asLong() >= 0
                ? rejection.retryAfter(Duration.ofSeconds(retryAfter.asLong()))
                : rejection;
    }

    private static Long replyTo(SendOptions options) throws PhotoDeliveryException {
        String replyTo = options.replyTo();
        if (replyTo == null) {
            return null;
        }
        try {
            return Long.valueOf(replyTo.trim());
        } catch (NumberFormatException e) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "a Telegram replyTo must be a message id (a number)");
        }
    }
}
