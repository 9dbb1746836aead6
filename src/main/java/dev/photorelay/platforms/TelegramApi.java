package dev.photorelay.platforms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoRequest;
import dev.photorelay.delivery.Recipient;
import dev.photorelay.delivery.Target;
import dev.photorelay.media.ImageInfo;
import dev.photorelay.media.Photo;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Telegram Bot API {@code sendPhoto}: a multipart upload streamed from the photo's file, or a URL / file_id as a
 * JSON field. A reply is a success only if it says {@code "ok": true}, whatever its HTTP status.
 */
@Singleton
@Named("telegramApi")
@RegisterForReflection
public class TelegramApi extends PlatformApi {

    static final long MAX_UPLOAD_BYTES = 10L * 1024 * 1024;
    static final int MAX_CAPTION = 1024;
    static final int MAX_WIDTH_PLUS_HEIGHT = 10_000;
    static final int MAX_ASPECT_RATIO = 20;
    private static final ContentType UTF8_TEXT = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);

    private final RelayConfig.Telegram config;

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
    protected void prepare(Photo photo, PhotoRequest request, Recipient recipient, Message message)
            throws PhotoDeliveryException, IOException {
        requireCaptionWithin(request, MAX_CAPTION, target());
        Long replyTo = replyTo(request);
        var options = request.options();
        if (photo instanceof Photo.Content content) {
            requireSizeWithin(content, MAX_UPLOAD_BYTES, target());
            requireTelegramDimensions(content.image());
            MultipartEntityBuilder multipart = MultipartEntityBuilder.create()
                    .addTextBody("chat_id", recipient.id(), UTF8_TEXT);
            if (content.file() != null) {
                multipart.addPart("photo", new PhotoFileBody(content.file().toFile(),
                        ContentType.create(content.type().mime()), content.fileName()));
            } else {
                multipart.addBinaryBody("photo", content.bytes(), ContentType.create(content.type().mime()),
                        content.fileName());
            }
            Map<String, Object> optional = fields("caption", options.caption(), "parse_mode", options.parseMode(),
                    "reply_to_message_id", replyTo);
            optional.forEach((name, value) -> multipart.addTextBody(name, value.toString(), UTF8_TEXT));
            message.setBody(multipart.build());
        } else {
            Photo.Link link = (Photo.Link) photo;
            message.setBody(jsonEntity(fields("chat_id", recipient.id(), "photo", link.value(), "caption",
                    options.caption(), "parse_mode", options.parseMode(), "reply_to_message_id", replyTo)));
        }
        message.setHeader(Exchange.HTTP_PATH, "/bot" + config.token().orElseThrow() + "/sendPhoto");
    }

    @Override
    protected Outcome accept(int status, String answer, Recipient recipient) throws PlatformRejection {
        JsonNode reply = jsonAnswer(status, answer);
        if (reply.path("ok").asBoolean(false)) {
            JsonNode messageId = reply.path("result").path("message_id");
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

    private static Long replyTo(PhotoRequest request) throws PhotoDeliveryException {
        String replyTo = request.options().replyTo();
        if (replyTo == null) {
            return null;
        }
        try {
            return Long.valueOf(replyTo.trim());
        } catch (NumberFormatException e) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "a Telegram replyTo must be a message id (a number)");
        }
    }

    private static void requireTelegramDimensions(ImageInfo image) throws PhotoDeliveryException {
        int w = image.width();
        int h = image.height();
        if (w + h > MAX_WIDTH_PLUS_HEIGHT) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "Telegram needs width + height <= "
                    + MAX_WIDTH_PLUS_HEIGHT + "; this photo is " + w + "x" + h);
        }
        if (Math.max(w, h) > (long) MAX_ASPECT_RATIO * Math.min(w, h)) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "Telegram needs an aspect ratio of at most "
                    + MAX_ASPECT_RATIO + ":1; this photo is " + w + "x" + h);
        }
    }
}
