package dev.photorelay.platforms;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.Adjustments;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.Recipient;
import dev.photorelay.delivery.SendOptions;
import dev.photorelay.delivery.Target;
import dev.photorelay.media.MediaHost;
import dev.photorelay.media.Photo;
import dev.photorelay.media.PhotoLimits;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Sonoran CAD {@code general/send_photo}: JSON with the photo's public URL; a photo we hold is first published by
 * the {@link MediaHost}. Sonoran answers in plain text ({@code Photo sent!}, {@code INVALID API KEY}, ...).
 */
@Singleton
@Named("sonoranApi")
@RegisterForReflection
public class SonoranApi extends PlatformApi {

    static final Duration FLOOD_BLOCK = Duration.ofHours(1);

    private final RelayConfig.Sonoran config;
    private final MediaHost mediaHost;

    public SonoranApi(RelayConfig config, ObjectMapper json, MediaHost mediaHost) {
        super(json);
        this.config = config.sonoran();
        this.mediaHost = mediaHost;
    }

    @Override
    public Target target() {
        return Target.SONORAN;
    }

    @Override
    protected Map<String, Optional<String>> credentials() {
        Map<String, Optional<String>> keys = new LinkedHashMap<>();
        keys.put("relay.sonoran.community-id", config.communityId());
        keys.put("relay.sonoran.api-key", config.apiKey());
        return keys;
    }

    /** Sonoran publishes no limit for the photos it fetches: {@code relay.sonoran.max-bytes}. */
    @Override
    public PhotoLimits limits() {
        return new PhotoLimits(config.maxBytes().asLongValue(), 0, 0, 0);
    }

    /** {@code data} is an array: an album's photos all go in one call. */
    @Override
    public int maxPhotosPerCall() {
        return Integer.MAX_VALUE;
    }

    /** One {@code data} entry per photo for the recipient, each with its public URL, in the album's order. */
    @Override
    protected void prepare(List<Photo> photos, boolean asDocument, SendOptions options, Recipient recipient,
            Adjustments adjustments, Message message) throws PhotoDeliveryException, IOException {
        List<Map<String, Object>> data = new ArrayList<>(photos.size());
        for (Photo photo : photos) {
            // a link is a URL here: a file_id was refused before (see refusal)
            String url = photo instanceof Photo.Content content ? mediaHost.publish(content) : ((Photo.Link) photo).value();
            data.add(fields("apiId", recipient.id(), "url", url));
        }
        message.setBody(jsonEntity(fields("id", config.communityId().orElseThrow(), "key", config.apiKey().orElseThrow(),
                "type", "SEND_PHOTO", "data", data)));
        message.setHeader(Exchange.HTTP_PATH, "/general/send_photo");
    }

    /** Sonoran blocks a flooded community for an hour, and does not say so in a header. */
    @Override
    protected Duration defaultRetryAfter(int status) {
        return status == 429 ? FLOOD_BLOCK : null;
    }

    @Override
    protected Outcome accept(int status, String answer, Recipient recipient) throws PlatformRejection {
        String text = answer == null ? "" : answer.strip().toUpperCase(Locale.ROOT);
        // Sonoran's errors are plain-text phrases; do not take one for a success should it come with a 2xx
        if (text.startsWith("INVALID") || text.startsWith("API IS NOT ENABLED")) {
            throw rejection(status, status, answer, false);
        }
        return Outcome.sent(recipient, (String) null, status);
    }
}
