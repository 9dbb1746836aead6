package dev.photorelay.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.RelayConfig;
import dev.photorelay.platforms.PlatformApi;
import dev.photorelay.simulator.PlatformCredentials;
import dev.photorelay.simulator.PlatformSimulator;
import dev.photorelay.simulator.SimulatedAnswer;
import dev.photorelay.simulator.SimulatedCall;
import io.quarkus.arc.All;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The demo profile's stand-in for Telegram, Z-API and Sonoran, on the relay's own port: the platforms at
 * {@code /demo/platforms/...} (where the demo profile points the relay), the page at {@code /demo}, what the
 * platforms received at {@code /demo/received}, and a message to the Telegram bot as if a user sent it at
 * {@code /demo/send-to-bot}. With {@code relay.demo.enabled=false} none of these paths exist.
 */
@Singleton
public class DemoPlatforms {

    static final String PLATFORMS = "/demo/platforms";
    private static final Logger LOG = Logger.getLogger(DemoPlatforms.class);

    private final RelayConfig config;
    private final ObjectMapper json;
    private final Map<String, PlatformApi> platforms;

    public DemoPlatforms(RelayConfig config, ObjectMapper json, @All List<PlatformApi> platforms) {
        this.config = config;
        this.json = json;
        this.platforms = platforms.stream().collect(Collectors.toMap(p -> p.target().id(), Function.identity()));
    }

    void routes(@Observes Router router) {
        if (!config.demo().enabled()) {
            return;
        }
        ReceivedPhotos received = new ReceivedPhotos(r -> platforms.get(r.platform())
                .refusalCode(r.answer().status(), r.answer().body()));
        // the simulated platforms fetch photos from this relay's media host only
        String mediaHost = config.media().publicBaseUrl().orElse("") + "/media/";
        PlatformSimulator simulator = new PlatformSimulator(credentials(), url -> !mediaHost.equals("/media/")
                && url.startsWith(mediaHost) && !url.substring(mediaHost.length()).contains("/"), received::add);
        String page = page();

        router.route(PLATFORMS + "/*").handler(request -> answer(simulator, request));
        router.route(HttpMethod.POST, "/demo/send-to-bot").handler(request -> sendToBot(simulator, request));
        router.route(HttpMethod.GET, "/demo").handler(request -> request.response()
                .putHeader("Content-Type", "text/html; charset=UTF-8").end(page));
        router.route(HttpMethod.GET, "/demo/received").handler(request -> request.response()
                .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(received.toJson(json).toString()));
        router.route(HttpMethod.GET, "/demo/received/:number/photo").handler(request -> photo(received, request));
        LOG.infof("Demo: Telegram, Z-API and Sonoran are simulated at %s; see what they receive at /demo", PLATFORMS);
    }

    private void answer(PlatformSimulator simulator, RoutingContext request) {
        readBody(request, body -> {
            HttpServerRequest http = request.request();
            SimulatedCall call = new SimulatedCall(http.method().name(), request.normalizedPath().substring(PLATFORMS.length()),
                    http.query() == null ? "" : http.query(), http::getHeader, body, System.nanoTime());
            // Sonoran and Telegram fetch photo URLs before they answer, and Telegram's getUpdates waits: off the event loop
            request.vertx().executeBlocking(() -> simulator.answer(call), false)
                    .onSuccess(answer -> request.response().setStatusCode(answer.status())
                            .putHeader("Content-Type", answer.contentType()).end(Buffer.buffer(answer.content())))
                    .onFailure(request::fail);
        });
    }

    /**
     * The page's "Send a photo to the bot": the file is the body, {@code chat}, {@code from}, {@code caption},
     * {@code as} ({@code photo} or {@code document}) and {@code name} (its file name) are query parameters; answers
     * {@code {"update_id": N}}, or 400 with the reason a Telegram client would not send it.
     */
    private void sendToBot(PlatformSimulator simulator, RoutingContext request) {
        // a type no form can post from another site without the browser asking first (CORS, which the relay does
        // not answer): no page elsewhere can make the demo's bot receive photos
        String type = request.request().getHeader("Content-Type");
        if (type == null || !type.split(";")[0].trim().equalsIgnoreCase("application/octet-stream")) {
            request.response().putHeader("Connection", "close"); // its body is not read
            plain(request, 415, "send the file as application/octet-stream");
            return;
        }
        readBody(request, body -> {
            long chatId;
            try {
                chatId = Long.parseLong(request.queryParams().get("chat"));
            } catch (NumberFormatException e) {
                plain(request, 400, "chat: the sender's chat id, a number");
                return;
            }
            // the photo's sizes are made with ImageIO: off the event loop
            request.vertx().executeBlocking(() -> simulator.sendToBot(chatId, request.queryParams().get("from"),
                    request.queryParams().get("caption"), body, "document".equals(request.queryParams().get("as")),
                    request.queryParams().get("name")), false)
                    .onSuccess(updateId -> request.response().putHeader("Content-Type", "application/json")
                            .end("{\"update_id\":" + updateId + "}"))
                    .onFailure(e -> {
                        if (e instanceof IllegalArgumentException refused) {
                            plain(request, 400, refused.getMessage());
                        } else {
                            request.fail(e);
                        }
                    });
        });
    }

    private static void plain(RoutingContext request, int status, String text) {
        request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=UTF-8").end(text);
    }

    /**
     * Reads the request's body, at most relay.api.max-body (413 above it), and hands it to {@code then}: the raw
     * body, as a platform reads it (a body handler would take a multipart upload apart).
     */
    private void readBody(RoutingContext request, Consumer<byte[]> then) {
        // Quarkus refuses a Content-Length over relay.api.max-body; a chunked body is counted here
        long limit = config.api().maxBody().asLongValue();
        HttpServerRequest http = request.request();
        Buffer body = Buffer.buffer();
        http.handler(chunk -> {
            if (body.length() + chunk.length() > limit) {
                http.pause();
                request.response().setStatusCode(413).putHeader("Content-Type", "text/plain")
                        .putHeader("Connection", "close").end("Request Entity Too Large");
            } else {
                body.appendBuffer(chunk);
            }
        });
        http.endHandler(end -> {
            if (!request.response().ended()) {
                then.accept(body.getBytes());
            }
        });
        http.resume(); // Quarkus hands the request over paused
    }

    private static void photo(ReceivedPhotos received, RoutingContext request) {
        long number;
        try {
            number = Long.parseLong(request.pathParam("number"));
        } catch (NumberFormatException e) {
            number = -1;
        }
        received.photo(number).ifPresentOrElse(
                photo -> request.response()
                        .putHeader("Content-Type", photo.mediaType() != null ? photo.mediaType() : "application/octet-stream")
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .end(Buffer.buffer(photo.photo())),
                () -> request.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("Not Found"));
    }

    private PlatformCredentials credentials() {
        return new PlatformCredentials(config.telegram().token().orElse(""), config.zapi().instance().orElse(""),
                config.zapi().token().orElse(""), config.zapi().clientToken().orElse(""),
                config.sonoran().communityId().orElse(""), config.sonoran().apiKey().orElse(""));
    }

    private static String page() {
        try (InputStream in = DemoPlatforms.class.getResourceAsStream("/demo/index.html")) {
            if (in == null) {
                throw new IllegalStateException("demo/index.html is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
