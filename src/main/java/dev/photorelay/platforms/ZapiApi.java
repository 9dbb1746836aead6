package dev.photorelay.platforms;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.Adjustments;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.Recipient;
import dev.photorelay.delivery.SendOptions;
import dev.photorelay.delivery.Target;
import dev.photorelay.media.MediaType;
import dev.photorelay.media.Photo;
import dev.photorelay.media.PhotoLimits;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Z-API (WhatsApp) {@code send-image}: JSON with the image as a {@code data:} URI or a URL. A 200 means Z-API
 * queued the message, not that WhatsApp delivered it; Z-API also reports some errors as {@code {"error": ...}}.
 */
@Singleton
@Named("zapiApi")
@RegisterForReflection
public class ZapiApi extends PlatformApi {

    /** Z-API: images of at most 5 MB (the image's bytes; its data URI is a third larger); no documents here. */
    static final PhotoLimits LIMITS = new PhotoLimits(5L * 1024 * 1024, 0, 0, 0);
    static final int MAX_CAPTION = 1024;

    private final RelayConfig.Zapi config;

    public ZapiApi(RelayConfig config, ObjectMapper json) {
        super(json);
        this.config = config.zapi();
    }

    @Override
    public Target target() {
        return Target.ZAPI;
    }

    @Override
    protected Map<String, Optional<String>> credentials() {
        Map<String, Optional<String>> keys = new LinkedHashMap<>();
        keys.put("relay.zapi.instance", config.instance());
        keys.put("relay.zapi.token", config.token());
        keys.put("relay.zapi.client-token", config.clientToken());
        return keys;
    }

    @Override
    public PhotoLimits limits() {
        return LIMITS;
    }

    /** WhatsApp takes JPEG, PNG and WebP images; and a link must be a URL. */
    @Override
    public PhotoDeliveryException refusal(Photo photo) {
        if (photo instanceof Photo.Content content && content.type() == MediaType.GIF) {
            return new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA, "WhatsApp takes JPEG, PNG and WebP images, not GIF");
        }
        return super.refusal(photo);
    }

    @Override
    protected void prepare(List<Photo> photos, boolean asDocument, SendOptions options, Recipient recipient,
            Adjustments adjustments, Message message) throws PhotoDeliveryException, IOException {
        Photo photo = photos.get(0); // one image per send-image call
        requireCaptionWithin(codePoints(options.caption()), MAX_CAPTION, target());
        Map<String, Object> phone = fields("phone", recipient.id());
        Map<String, Object> rest = fields("caption", options.caption(), "messageId", options.replyTo(), "delayMessage",
                options.delaySeconds(), "viewOnce", options.viewOnce());
        // a GIF and a file_id were refused before (see refusal)
        if (photo instanceof Photo.Content content) {
            message.setBody(new DataUriJsonEntity(json, phone, "image", content, rest));
        } else {
            Map<String, Object> fields = new LinkedHashMap<>(phone);
            fields.put("image", ((Photo.Link) photo).value());
            fields.putAll(rest);
            message.setBody(jsonEntity(fields));
        }
        message.setHeader(Exchange.HTTP_PATH,
                "/instances/" + config.instance().orElseThrow() + "/token/" + config.token().orElseThrow() + "/send-image");
        message.setHeader("Client-Token", config.clientToken().orElseThrow());
    }

    @Override
    protected Outcome accept(int status, String answer, Recipient recipient) throws PlatformRejection {
        JsonNode reply = jsonAnswer(status, answer);
        if (reply.hasNonNull("error")) {
            String error = reply.path("error").asText();
            String message = reply.path("message").asText("");
            throw rejection(status, status, message.isEmpty() ? error : error + ": " + message, false);
        }
        String id = reply.hasNonNull("messageId") ? reply.path("messageId").asText() : reply.path("zaapId").asText(null);
        if (id == null) {
            throw rejection(status, status, answer, true);
        }
        return Outcome.sent(recipient, id, status);
    }
}
