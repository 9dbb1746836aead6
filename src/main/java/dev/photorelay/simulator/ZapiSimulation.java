package dev.photorelay.simulator;

import static dev.photorelay.simulator.PlatformSimulator.quote;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Z-API's {@code POST /instances/<instance>/token/<token>/send-image}: JSON with {@code phone} and {@code image} (a
 * URL or a base64 {@code data:} URI), the account's {@code Client-Token} header; errors as {@code {"error":"..."}}.
 * Its 200 means queued for WhatsApp, not delivered: a URL is accepted without being fetched.
 */
final class ZapiSimulation {

    private static final Pattern PHONE = Pattern.compile("\\d{8,15}|\\d{8,20}-\\d{1,12}|\\d{8,20}-group");
    private static final Pattern DATA_URI = Pattern.compile("data:(image/[a-z0-9.+-]+);base64,(.*)", Pattern.DOTALL);

    private final PlatformCredentials credentials;
    private final Consumer<Received> listener;
    private final AtomicLong messageIds = new AtomicLong();

    ZapiSimulation(PlatformCredentials credentials, Consumer<Received> listener) {
        this.credentials = credentials;
        this.listener = listener;
    }

    SimulatedAnswer answer(SimulatedCall call, String instance, String token, String method) {
        PlatformSimulator.Intake intake = new PlatformSimulator.Intake("zapi", call, listener);
        if (!instance.equals(credentials.zapiInstance()) || !token.equals(credentials.zapiToken())) {
            return intake.answered(error(400, "Instance not found"));
        }
        if (!"send-image".equals(method)) {
            return intake.answered(error(404, "Not Found"));
        }
        if (!"POST".equals(call.method())) {
            return intake.answered(SimulatedAnswer.json(405, ""));
        }
        if (!call.contentType().toLowerCase().startsWith("application/json")) {
            return intake.answered(SimulatedAnswer.text(415, "Unsupported Media Type"));
        }
        String clientToken = call.header().apply("Client-Token");
        if (clientToken == null || clientToken.isEmpty()) {
            return intake.answered(error(400, "your client-token is not configured"));
        }
        if (!clientToken.equals(credentials.zapiClientToken())) {
            return intake.answered(error(403, "Client-Token not allowed"));
        }
        Map<?, ?> json;
        try {
            if (!(JsonReader.read(new String(call.body(), StandardCharsets.UTF_8)) instanceof Map<?, ?> object)) {
                return intake.answered(error(400, "Invalid JSON"));
            }
            json = object;
        } catch (IllegalArgumentException e) {
            return intake.answered(error(400, "Invalid JSON: " + e.getMessage()));
        }
        intake.recipient = json.get("phone") instanceof String phone ? phone : null;
        intake.caption = json.get("caption") instanceof String caption ? caption : null;
        if (intake.recipient == null || intake.recipient.isEmpty()) {
            return intake.answered(error(400, "phone is required"));
        }
        if (!PHONE.matcher(intake.recipient).matches()) {
            return intake.answered(error(400, "Invalid phone: only numbers, with the country code (DDI)"));
        }
        if (json.containsKey("delayMessage")
                && !(json.get("delayMessage") instanceof Double delay && delay >= 1 && delay <= 15 && delay == Math.rint(delay))) {
            return intake.answered(error(400, "delayMessage must be a number of seconds from 1 to 15"));
        }
        if (json.containsKey("viewOnce") && !(json.get("viewOnce") instanceof Boolean)) {
            return intake.answered(error(400, "viewOnce must be a boolean"));
        }
        if (!(json.get("image") instanceof String image) || image.isEmpty()) {
            return intake.answered(error(400, "image is required"));
        }
        SimulatedAnswer refusal = takeImage(image, intake);
        if (refusal != null) {
            return intake.answered(refusal);
        }
        String messageId = String.format("SIM%016X", messageIds.incrementAndGet());
        return intake.answered(SimulatedAnswer.json(200, "{\"zaapId\":\"Z" + messageId + "\",\"messageId\":"
                + quote(messageId) + ",\"id\":" + quote(messageId) + "}"));
    }

    private static SimulatedAnswer takeImage(String image, PlatformSimulator.Intake intake) {
        if (PhotoFetcher.isHttpUrl(image)) {
            intake.imageUrl = image; // queued: WhatsApp fetches it later, or fails to, after the 200
            return null;
        }
        Matcher dataUri = DATA_URI.matcher(image);
        if (!dataUri.matches()) {
            return error(400, "image must be a link or a data:image/...;base64, URI");
        }
        try {
            intake.photo = Base64.getDecoder().decode(dataUri.group(2));
        } catch (IllegalArgumentException e) {
            return error(400, "Invalid base64 image");
        }
        intake.mediaType = PlatformSimulator.imageType(intake.photo);
        if (intake.mediaType == null || intake.photo.length > PlatformSimulator.MAX_PHOTO_BYTES) {
            return error(400, "Invalid image: not a picture WhatsApp can send");
        }
        return null;
    }

    private static SimulatedAnswer error(int status, String message) {
        return SimulatedAnswer.json(status, "{\"error\":" + quote(message) + "}");
    }
}
