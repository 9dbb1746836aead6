package dev.photorelay.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sonoran CAD's {@code POST /general/send_photo}: JSON {@code {id, key, type: "SEND_PHOTO", data: [{apiId, url}]}};
 * answers in plain text. It fetches each photo from its URL before it answers, as the real one does.
 */
final class SonoranSimulation {

    private final PlatformCredentials credentials;
    private final PhotoFetcher fetcher;
    private final Consumer<Received> listener;

    SonoranSimulation(PlatformCredentials credentials, PhotoFetcher fetcher, Consumer<Received> listener) {
        this.credentials = credentials;
        this.fetcher = fetcher;
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
        SimulatedAnswer answer = SimulatedAnswer.text(200, "Photo sent!");
        for (Object item : data) {
            PlatformSimulator.Intake photo = new PlatformSimulator.Intake("sonoran", call, listener);
            SimulatedAnswer refusal = take(item, photo);
            photo.answered(refusal == null ? answer : refusal);
            if (refusal != null) {
                return refusal;
            }
        }
        return answer;
    }

    private SimulatedAnswer take(Object item, PlatformSimulator.Intake intake) {
        if (!(item instanceof Map<?, ?> request) || !(request.get("apiId") instanceof String apiId)
                || !(request.get("url") instanceof String url)) {
            return SimulatedAnswer.text(400, "INVALID REQUEST DATA");
        }
        intake.recipient = apiId;
        intake.imageUrl = url;
        try {
            intake.photo = fetcher.fetch(url);
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
