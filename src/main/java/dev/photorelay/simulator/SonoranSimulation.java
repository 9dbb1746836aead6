package dev.photorelay.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sonoran CAD's {@code POST /general/send_photo}: JSON {@code {id, key, type: "SEND_PHOTO", data: [{apiId, url}, ...]}}
 * ({@code data} is an array of request objects, Sonoran's API reference says); answers in plain text. It fetches
 * each photo from its URL before it answers, as the real one does, and takes the entries of one call together: any
 * bad entry refuses them all.
 */
final class SonoranSimulation {

    private final PlatformCredentials credentials;
    private final PhotoFetcher fetcher;
    private final Supplier<String> albumIds;
    private final Consumer<Received> listener;

    /** {@code albumIds} gives the photos of a call with several entries their {@link Received#album()}. */
    SonoranSimulation(PlatformCredentials credentials, PhotoFetcher fetcher, Supplier<String> albumIds,
            Consumer<Received> listener) {
        this.credentials = credentials;
        this.fetcher = fetcher;
        this.albumIds = albumIds;
        this.listener = listener;
    }

    SimulatedAnswer answer(SimulatedCall call, String endpoint) {
        PlatformSimulator.Intake intake = new PlatformSimulator.Intake("sonoran", call, listener);
        if (!"send_photo".equals(endpoint) || !"POST".equals(call.method())) {
            return intake.answered(SimulatedAnswer.text(404, "Not Found"));
        }
        Map<?, ?> json;
        try {
            json = JsonReader.read(new String(call.body(), StandardCharsets.UTF_8)) instanceof Map<?, ?> object ? object : Map.of();
        } catch (IllegalArgumentException e) {
            json = Map.of();
        }
        if (!"SEND_PHOTO".equals(json.get("type"))) {
            return intake.answered(SimulatedAnswer.text(400, "INVALID REQUEST TYPE"));
        }
        if (!credentials.sonoranCommunityId().equals(json.get("id"))) {
            return intake.answered(SimulatedAnswer.text(400, "INVALID COMMUNITY ID"));
        }
        if (!credentials.sonoranApiKey().equals(json.get("key"))) {
            return intake.answered(SimulatedAnswer.text(400, "INVALID API KEY"));
        }
        if (!(json.get("data") instanceof List<?> data) || data.isEmpty()) {
            return intake.answered(SimulatedAnswer.text(400, "INVALID REQUEST DATA"));
        }
        String album = data.size() > 1 ? albumIds.get() : null;
        List<PlatformSimulator.Intake> photos = new ArrayList<>();
        for (Object entry : data) {
            PlatformSimulator.Intake photo = intake.albumItem(album, photos.size());
            photos.add(photo);
            if (entry instanceof Map<?, ?> request && request.get("apiId") instanceof String apiId
                    && request.get("url") instanceof String url) {
                photo.recipient = apiId;
                photo.imageUrl = url;
            }
        }
        if (photos.stream().anyMatch(photo -> photo.imageUrl == null)) {
            return PlatformSimulator.Intake.answered(photos, SimulatedAnswer.text(400, "INVALID REQUEST DATA"));
        }
        for (PlatformSimulator.Intake photo : photos) {
            SimulatedAnswer refusal = fetch(photo);
            if (refusal != null) {
                return PlatformSimulator.Intake.answered(photos, refusal);
            }
        }
        return PlatformSimulator.Intake.answered(photos, SimulatedAnswer.text(200, "Photo sent!"));
    }

    private SimulatedAnswer fetch(PlatformSimulator.Intake intake) {
        try {
            intake.photo = fetcher.fetch(intake.imageUrl);
        } catch (IOException e) {
            return SimulatedAnswer.text(400, "PHOTO COULD NOT BE RETRIEVED");
        }
        intake.fetchedBytes = intake.photo.length;
        intake.mediaType = PlatformSimulator.imageType(intake.photo);
        if (intake.mediaType == null) {
            intake.photo = null; // what is not an image is not kept
            return SimulatedAnswer.text(400, "INVALID PHOTO");
        }
        return null;
    }
}
