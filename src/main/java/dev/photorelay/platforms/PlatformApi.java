package dev.photorelay.platforms;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.delivery.Adjustments;
import dev.photorelay.delivery.AlbumDelivery;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoRequest;
import dev.photorelay.delivery.PreparedAlbum;
import dev.photorelay.delivery.PreparedPhoto;
import dev.photorelay.delivery.Recipient;
import dev.photorelay.delivery.SendOptions;
import dev.photorelay.delivery.Target;
import dev.photorelay.media.Photo;
import dev.photorelay.media.PhotoLimits;

/**
 * How a photo goes to a platform, the same for all three: check the platform is configured, build the HTTP
 * request for one recipient ({@link #request}), let the pacer and camel-http send it, and read the answer
 * ({@link #answer}). An album goes in calls of at most {@link #maxPhotosPerCall()} photos, one call per exchange
 * through the same route ({@link AlbumDelivery} says which), the caption with its first photo.
 * Subclasses supply only what differs: the request payload and what a success looks like.
 */
public abstract class PlatformApi {

    /** Platform text kept in a record, at most: an HTML error page is not worth more. */
    private static final int MAX_ERROR_TEXT = 500;

    protected final ObjectMapper json;

    protected PlatformApi(ObjectMapper json) {
        this.json = json;
    }

    public abstract Target target();

    /** The configuration keys this platform needs, each with its value if set. */
    protected abstract Map<String, Optional<String>> credentials();

    /** What the platform takes as a photo; a photo over it is prepared as {@code relay.<target>.oversize} says. */
    public abstract PhotoLimits limits();

    /**
     * Why the platform cannot take this photo at all, whatever its size: checked for every photo before any call, so
     * that one such photo fails an album before any of it goes. A Telegram file_id goes to Telegram only.
     *
     * @return the refusal, or null if the platform takes it
     */
    public PhotoDeliveryException refusal(Photo photo) {
        return photo instanceof Photo.Link link && !link.url()
                ? new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                        "a Telegram file_id can only be sent to Telegram; send the photo or its http(s) URL")
                : null;
    }

    /** How many photos of an album one call carries; 1 unless the platform has a call for several. */
    public int maxPhotosPerCall() {
        return 1;
    }

    /**
     * Sets the body (an HTTP entity), the path below the base URI and any platform headers.
     *
     * @param photos      the photos of this call as prepared for this platform (fitted, without their location, or as
     *                    they came): one, or up to {@link #maxPhotosPerCall()} of an album
     * @param asDocument  send them as files (Telegram {@code sendDocument}); only a platform whose limits take
     *                    documents is asked to
     * @param options     the request's options; the caption only in the call with the album's first photo
     * @param adjustments what earlier answers changed for this recipient (a plain-text caption, a new chat id)
     */
    protected abstract void prepare(List<Photo> photos, boolean asDocument, SendOptions options, Recipient recipient,
            Adjustments adjustments, Message message) throws PhotoDeliveryException, IOException;

    /**
     * Reads a 2xx answer: the outcome of a delivered call (with one message id per photo, {@link Outcome#photos()},
     * if it carried several and the platform names them), or a rejection.
     */
    protected abstract Outcome accept(int status, String answer, Recipient recipient) throws PlatformRejection;

    /** Whether the platform can be used: all its keys set, none (not in use), or some (a mistake). */
    public enum Configuration {
        CONFIGURED, NOT_CONFIGURED, INCOMPLETE
    }

    public Configuration configuration() {
        int missing = missingKeys().size();
        if (missing == 0) {
            return Configuration.CONFIGURED;
        }
        return missing == credentials().size() ? Configuration.NOT_CONFIGURED : Configuration.INCOMPLETE;
    }

    public List<String> missingKeys() {
        List<String> missing = new ArrayList<>();
        credentials().forEach((key, value) -> {
            if (value.isEmpty() || value.get().isBlank()) {
                missing.add(key);
            }
        });
        return missing;
    }

    public void request(Exchange exchange) throws PhotoDeliveryException, IOException {
        List<String> missing = missingKeys();
        if (!missing.isEmpty()) {
            throw new PhotoDeliveryException(ErrorCode.NOT_CONFIGURED,
                    target() + " is not configured: set " + String.join(", ", missing));
        }
        PhotoRequest request = exchange.getProperty(PhotoRequest.PROPERTY, PhotoRequest.class);
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        PreparedAlbum album = request.preparedFor(target());
        album.require();
        AlbumDelivery delivery = AlbumDelivery.of(exchange);
        List<PreparedPhoto> prepared = album.photosOf(delivery.call());
        Adjustments adjustments = Adjustments.of(exchange);
        if (!request.album()) {
            adjustments.prepared(prepared.get(0));
        }
        List<Photo> photos = new ArrayList<>(prepared.size());
        for (PreparedPhoto photo : prepared) {
            if (photo.photo() instanceof Photo.Content content) {
                content.requireUnchanged();
            }
            photos.add(photo.photo());
        }
        SendOptions options = delivery.firstCall() ? request.options() : request.options().withoutCaption();
        prepare(photos, prepared.get(0).asDocument(), options, recipient, adjustments, exchange.getMessage());
    }

    public Outcome answer(Exchange exchange) throws PlatformRejection {
        Message reply = exchange.getMessage();
        int status = reply.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String answer = reply.getBody(String.class);
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        try {
            if (status >= 200 && status < 300) {
                return accept(status, answer, recipient);
            }
            throw refusal(status, answer);
        } catch (PlatformRejection rejection) {
            adjust(rejection, answer, recipient, Adjustments.of(exchange));
            if (rejection.retryAfter() != null) {
                throw rejection;
            }
            Duration wait = retryAfterHeader(reply.getHeader("Retry-After", String.class));
            throw rejection.retryAfter(wait != null ? wait : defaultRetryAfter(status));
        }
    }

    /**
     * A refusal that says how to get through (a caption the platform cannot parse, a chat that moved) changes the
     * next call; none does unless a platform says.
     */
    protected void adjust(PlatformRejection rejection, String answer, Recipient recipient, Adjustments adjustments) {
    }

    /** The wait a platform implies when it refuses without saying how long; none unless a platform says. */
    protected Duration defaultRetryAfter(int status) {
        return null;
    }

    /** HTTP {@code Retry-After}: seconds, or an HTTP date. */
    static Duration retryAfterHeader(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** The error code a refusal with this status and answer ends as (the demo labels what its platforms refused). */
    public ErrorCode refusalCode(int status, String answer) {
        return ErrorClassifier.classify(target(), refusal(status, answer));
    }

    /** What a non-2xx answer says; platforms that explain failures in their body read it here. */
    protected PlatformRejection refusal(int status, String answer) {
        return rejection(status, status, answer, false);
    }

    protected static PlatformRejection rejection(int httpStatus, int platformStatus, String text, boolean unreadable) {
        String clean = text == null || text.isBlank() ? "(empty answer)" : text.strip();
        if (clean.length() > MAX_ERROR_TEXT) {
            clean = clean.substring(0, MAX_ERROR_TEXT) + "...";
        }
        return new PlatformRejection(httpStatus, platformStatus, clean, unreadable);
    }

    /** Parses a JSON object answer, or rejects it as unreadable. */
    protected JsonNode jsonAnswer(int status, String answer) throws PlatformRejection {
        try {
            JsonNode node = answer == null ? null : json.readTree(answer);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // falls through to the rejection below
        }
        throw rejection(status, status, answer, true);
    }

    protected StringEntity jsonEntity(Map<String, Object> fields) throws IOException {
        return new StringEntity(json.writeValueAsString(fields), ContentType.APPLICATION_JSON);
    }

    /** A JSON object of the fields that are set, in the order given. */
    protected static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return fields;
    }

    /**
     * Refuses a caption longer than the platform takes.
     *
     * @param length its length as the platform counts it (code points, or Telegram's count after parsing markup)
     * @throws PhotoDeliveryException {@code INVALID_REQUEST}, before any call
     */
    protected static void requireCaptionWithin(int length, int limit, Target target) throws PhotoDeliveryException {
        if (length > limit) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                    target + " captions may be at most " + limit + " characters; this one has " + length);
        }
    }

    protected static int codePoints(String caption) {
        return caption == null ? 0 : caption.codePointCount(0, caption.length());
    }
}
