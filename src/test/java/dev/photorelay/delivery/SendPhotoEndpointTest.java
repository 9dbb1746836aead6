package dev.photorelay.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Received;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;

/** {@code direct:send-photo} as another Camel route (or a user's YAML route) calls it. */
@QuarkusTest
class SendPhotoEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ProducerTemplate producer;

    @InjectTelegram
    WireMockServer telegram;

    @InjectZapi
    WireMockServer zapi;

    @InjectSonoran
    WireMockServer sonoran;

    @Test
    void byteArrayBodyIsDeliveredAndTheReplyIsTheResult() {
        byte[] photo = TestImages.jpeg(120, 90);

        Exchange reply = producer.request("direct:send-photo", e -> {
            e.getMessage().setHeaders(Map.of(PhotoHeaders.TARGET, "telegram", PhotoHeaders.RECIPIENT, "40001",
                    PhotoHeaders.CAPTION, "from a route", PhotoHeaders.FILE_NAME, "frame.jpg", "MyCorrelationId", "abc-1"));
            e.getMessage().setBody(photo);
        });

        assertThat(reply.getException()).isNull();
        DeliveryResult result = reply.getMessage().getBody(DeliveryResult.class);
        assertThat(result.delivered()).isTrue();
        assertThat(result.outcomes()).singleElement()
                .satisfies(o -> assertThat(o.messageId()).isEqualTo("101"));
        assertThat(reply.getMessage().getHeader("MyCorrelationId")).isEqualTo("abc-1");
        var request = Received.only(Received.telegram(telegram, "40001"));
        assertThat(request.getPart("photo").getBody().asBytes()).isEqualTo(photo);
        assertThat(request.getPart("photo").getHeader("Content-Disposition").firstValue()).contains("frame.jpg");
        assertThat(request.getPart("caption").getBody().asString()).isEqualTo("from a route");
    }

    @Test
    void urlBodyIsHandedToEachPlatformToFetch() throws Exception {
        String url = "https://photos.example.com/cat.jpg";

        send(url, Map.of(PhotoHeaders.TARGET, "telegram", PhotoHeaders.RECIPIENT, "40002"));
        send(url, Map.of(PhotoHeaders.TARGET, "zapi", PhotoHeaders.RECIPIENT, "5511940000002"));
        send(url, Map.of(PhotoHeaders.TARGET, "sonoran", PhotoHeaders.RECIPIENT, "STEAM:40002"));

        var toTelegram = Received.only(Received.telegram(telegram, "40002"));
        assertThat(toTelegram.getHeader("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(toTelegram.getBodyAsString()).path("photo").asText()).isEqualTo(url);
        assertThat(JSON.readTree(Received.only(Received.zapi(zapi, "5511940000002")).getBodyAsString())
                .path("image").asText()).isEqualTo(url);
        assertThat(JSON.readTree(Received.only(Received.sonoran(sonoran, "STEAM:40002")).getBodyAsString())
                .path("data").get(0).path("url").asText()).isEqualTo(url);
    }

    @Test
    void dataUriBodyIsDecodedAndSentAsTheSameBytes() throws Exception {
        byte[] photo = TestImages.png(40, 40);
        String dataUri = "data:image/png;base64," + Base64.getEncoder().encodeToString(photo);

        send(dataUri, Map.of(PhotoHeaders.TARGET, "zapi", PhotoHeaders.RECIPIENT, "5511940000003"));

        JsonNode body = JSON.readTree(Received.only(Received.zapi(zapi, "5511940000003")).getBodyAsString());
        assertThat(body.path("image").asText()).isEqualTo(dataUri);
    }

    @Test
    void aTelegramFileIdGoesToTelegramOnly() throws Exception {
        String fileId = "AgACAgIAAxkBAAIBZ2Vx";

        send(fileId, Map.of(PhotoHeaders.TARGET, "telegram", PhotoHeaders.RECIPIENT, "40004"));

        assertThat(JSON.readTree(Received.only(Received.telegram(telegram, "40004")).getBodyAsString()).path("photo")
                .asText()).isEqualTo(fileId);
        assertThatThrownBy(() -> send(fileId, Map.of(PhotoHeaders.TARGET, "zapi", PhotoHeaders.RECIPIENT, "5511940000004")))
                .hasCauseInstanceOf(PhotoDeliveryException.class)
                .cause().satisfies(e -> assertThat(((PhotoDeliveryException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThat(Received.zapi(zapi, "5511940000004")).isEmpty();
    }

    @Test
    void aFailureSurfacesAsATypedExceptionWithItsCodeAndOutcomes() {
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo("40005")))
                .willReturn(aResponse().withStatus(403)
                        .withBody("{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot is not a member\"}")));

        assertThatThrownBy(() -> send(TestImages.jpeg(10, 10), Map.of(PhotoHeaders.TARGET, "telegram",
                PhotoHeaders.RECIPIENT, "40005")))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(PhotoDeliveryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.result().outcomes()).singleElement().satisfies(o -> {
                        assertThat(o.httpStatus()).isEqualTo(403);
                        assertThat(o.platformError()).contains("not a member");
                    });
                });
    }

    @Test
    void missingDestinationIsAnUnknownDestination() {
        assertThatThrownBy(() -> send(TestImages.jpeg(10, 10), Map.of()))
                .cause().isInstanceOfSatisfying(PhotoDeliveryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_DESTINATION));
    }

    @Test
    void aRecipientOfFiveHundredCharactersWithControlCharactersIsRefusedInOneShortReadableLine() {
        String recipient = "\u001b[2J\n" + "9".repeat(500);

        assertThatThrownBy(() -> send(TestImages.jpeg(10, 10), Map.of(PhotoHeaders.TARGET, "telegram",
                PhotoHeaders.RECIPIENT, recipient)))
                .cause().isInstanceOfSatisfying(PhotoDeliveryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.reason()).doesNotContain("\u001b", "\n").hasSizeLessThan(150);
                });
    }

    @Test
    void aUsersOwnYamlRouteCanSendThroughTheEndpoint() {
        byte[] photo = TestImages.jpeg(64, 64);

        producer.requestBody("direct:camera", photo);

        assertThat(Received.only(Received.telegram(telegram, "@camera_feed")).getPart("photo").getBody().asBytes())
                .isEqualTo(photo);
    }

    private void send(Object body, Map<String, Object> headers) {
        producer.requestBodyAndHeaders("direct:send-photo", body, headers);
    }
}
