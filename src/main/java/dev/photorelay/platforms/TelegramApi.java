package dev.photorelay.platforms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.inject.Named;

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
                multipart.addBinaryBody("photo", content.file().toFile(), ContentType.create(content.type().mime()),
                        content.fileName());
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
    public Outcome answer(Exchange exchange) throws PlatformRejection {
        // Telegram explains every failure in a JSON body, also under a 4xx/5xx status: read it in all cases
        Message reply = exchange.getMessage();
        int status = reply.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        return accept(status, reply.getBody(String.class), recipient);
    }

    @Override
    protected Outcome accept(int status, String answer, Recipient recipient) throws PlatformRejection {
        JsonNode reply;
        try {
            reply = jsonAnswer(status, answer);
        } catch (PlatformRejection unreadable) {
            if (status >= 300) {
                throw rejection(status, status, answer, false);
            }
            throw unreadable;
        }
        if (reply.path("ok").asBoolean(false) && status < 300) {
            JsonNode messageId = reply.path("result").path("message_id");
            return Outcome.sent(recipient, messageId.isMissingNode() ? null : messageId.asText(), status);
        }
        int platformStatus = reply.path("error_code").asInt(status);
        String description = reply.path("description").asText("Telegram answered ok: false");
        throw rejection(status, platformStatus, description, false);
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
