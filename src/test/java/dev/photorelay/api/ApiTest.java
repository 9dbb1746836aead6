package dev.photorelay.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Received;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** POST /api/photos as a script or a camera would use it: multipart or JSON in, results or a problem out. */
@QuarkusTest
class ApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectTelegram
    WireMockServer telegram;

    @InjectZapi
    WireMockServer zapi;

    @InjectSonoran
    WireMockServer sonoran;

    @Test
    void aMultipartUploadIsDeliveredToTelegramAndAnsweredWithTheResults() {
        byte[] photo = TestImages.jpeg(200, 150);

        authorized().multiPart("file", "cat.jpg", photo, "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "80001").multiPart("caption", "Hi")
                .post("/api/photos")
                .then().statusCode(200).contentType("application/json")
                .body("status", is("sent"))
                .body("recipients[0].target", is("telegram"))
                .body("recipients[0].status", is("sent"))
                .body("recipients[0].messageId", is("101"));

        var request = Received.only(Received.telegram(telegram, "80001"));
        assertThat(request.getPart("photo").getBody().asBytes()).isEqualTo(photo);
        assertThat(request.getPart("photo").getHeader("Content-Disposition").firstValue()).contains("filename=\"cat.jpg\"");
        assertThat(request.getPart("caption").getBody().asString()).isEqualTo("Hi");
        assertThat(request.getHeader("Authorization")).isNull();
    }

    @Test
    void aDocumentSentThroughTheApiKeepsTheClientsFileName() {
        byte[] photo = TestImages.jpeg(60, 40);

        authorized().multiPart("file", "recibo de maio.jpg", photo, "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "80009").multiPart("asDocument", "true")
                .post("/api/photos")
                .then().statusCode(200).body("recipients[0].sentAs", is("document"));

        var request = Received.only(Received.telegramDocuments(telegram, "80009"));
        assertThat(request.getPart("document").getBody().asBytes()).isEqualTo(photo);
        assertThat(request.getPart("document").getHeader("Content-Disposition").firstValue())
                .contains("filename=\"recibo de maio.jpg\"");
    }

    @Test
    void aMultipartUploadForSonoranIsPublishedForItToFetch() throws Exception {
        byte[] photo = TestImages.png(64, 64);

        authorized().multiPart("file", "scene.png", photo, "image/png")
                .multiPart("target", "sonoran").multiPart("recipient", "STEAM:80002")
                .post("/api/photos").then().statusCode(200).body("recipients[0].status", is("sent"));

        String url = JSON.readTree(Received.only(Received.sonoran(sonoran, "STEAM:80002")).getBodyAsString())
                .path("data").get(0).path("url").asText();
        assertThat(given().get(url).asByteArray()).isEqualTo(photo);
    }

    @Test
    void aJsonDataUriIsDeliveredToZapiAsTheSameBytes() throws Exception {
        byte[] photo = TestImages.jpeg(90, 60);
        String dataUri = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(photo);

        authorized().contentType("application/json")
                .body(Map.of("image", dataUri, "target", "zapi", "recipient", "5511980000003", "delaySeconds", 2))
                .post("/api/photos").then().statusCode(200).body("recipients[0].status", is("sent"));

        JsonNode sent = JSON.readTree(Received.only(Received.zapi(zapi, "5511980000003")).getBodyAsString());
        String image = sent.path("image").asText();
        assertThat(Base64.getDecoder().decode(image.substring(image.indexOf(',') + 1))).isEqualTo(photo);
        assertThat(sent.path("delayMessage").asInt()).isEqualTo(2);
    }

    @Test
    void aJsonUrlGoesToEveryRecipientOfAnAlias() {
        authorized().contentType("application/json")
                .body(Map.of("image", "https://example.com/cat.jpg", "destination", TempInbox.API_TRIO,
                        "caption", "api alias"))
                .post("/api/photos").then().statusCode(200)
                .body("recipients.target", org.hamcrest.Matchers.contains("telegram", "zapi", "sonoran"));
    }

    @Test
    void badFieldsAreABadRequestProblem() {
        authorized().contentType("application/json")
                .body(Map.of("image", "https://example.com/a.jpg", "target", "telegram", "recipient", "80004",
                        "delaySeconds", "soon"))
                .post("/api/photos").then().statusCode(400).contentType("application/problem+json")
                .body("status", is(400)).body("code", is("INVALID_REQUEST"))
                .body("detail", containsString("PhotoDelaySeconds"));
        authorized().contentType("application/json").body("{not json")
                .post("/api/photos").then().statusCode(400).body("code", is("INVALID_REQUEST"));
        authorized().contentType("application/json").body(Map.of("image", "https://example.com/a.jpg", "colour", "red"))
                .post("/api/photos").then().statusCode(400).body("detail", containsString("unknown field 'colour'"));
        authorized().contentType("text/plain").body("a photo")
                .post("/api/photos").then().statusCode(415).body("code", is("UNSUPPORTED_MEDIA_TYPE"));
    }

    @Test
    void anUnknownTargetOrDestinationIsUnprocessable() {
        authorized().contentType("application/json")
                .body(Map.of("image", "https://example.com/a.jpg", "target", "fax", "recipient", "1"))
                .post("/api/photos").then().statusCode(422).contentType("application/problem+json")
                .body("code", is("UNKNOWN_DESTINATION"));
        authorized().contentType("application/json")
                .body(Map.of("image", "https://example.com/a.jpg", "destination", "nobody"))
                .post("/api/photos").then().statusCode(422).body("code", is("UNKNOWN_DESTINATION"));
    }

    @Test
    void aPlatformRefusalIsABadGatewayWithItsCodeAndOutcome() {
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo("80005")))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked\"}")));

        authorized().multiPart("file", "x.jpg", TestImages.jpeg(20, 20), "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "80005")
                .post("/api/photos").then().statusCode(502).contentType("application/problem+json")
                .body("code", is("FORBIDDEN"))
                .body("recipients[0].httpStatus", is(403))
                .body("recipients[0].platformError", containsString("bot was blocked"));
    }

    @Test
    void aBodyOverMaxBodyIsRefusedBeforeItIsRead() {
        // the test relay takes at most 2 MB (relay.api.max-body)
        byte[] big = TestImages.padded(TestImages.jpeg(20, 20), 3 * 1024 * 1024);

        authorized().multiPart("file", "big.jpg", big, "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "80006")
                .post("/api/photos").then().statusCode(413).contentType("application/problem+json")
                .body("code", is("PAYLOAD_TOO_LARGE"));
        assertThat(Received.telegram(telegram, "80006")).isEmpty();
    }

    @Test
    void aMissingOrWrongTokenIsUnauthorizedAndNothingIsSent() {
        given().multiPart("file", "x.jpg", TestImages.jpeg(20, 20), "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "80007")
                .post("/api/photos").then().statusCode(401).contentType("application/problem+json")
                .body("code", is("UNAUTHORIZED"));
        given().header("Authorization", "Bearer not-the-token")
                .multiPart("file", "x.jpg", TestImages.jpeg(20, 20), "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "80007")
                .post("/api/photos").then().statusCode(401);
        assertThat(Received.telegram(telegram, "80007")).isEmpty();
    }

    @Test
    void anAsyncSendIsAcceptedAtOnceThenDeliveredFromTheInboxAndItsStateCanBePolled() {
        byte[] photo = TestImages.jpeg(100, 80);

        String location = authorized().header("Prefer", "respond-async")
                .multiPart("file", "later.jpg", photo, "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "80008").multiPart("caption", "async")
                .post("/api/photos")
                .then().statusCode(202).body("status", is("pending"))
                .extract().header("Location");
        assertThat(location).matches("/api/photos/[A-Za-z0-9_-]{22}");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> authorized().get(location)
                .then().statusCode(200).body("status", is("sent")));
        authorized().get(location).then()
                .body("record.recipients[0].target", is("telegram"))
                .body("record.recipients[0].status", is("sent"));
        var request = Received.only(Received.telegram(telegram, "80008"));
        assertThat(request.getPart("photo").getBody().asBytes()).isEqualTo(photo);
        assertThat(request.getPart("caption").getBody().asString()).isEqualTo("async");
    }

    @Test
    void anAsyncSendThatFailsEndsAsFailedWithItsRecord() {
        String location = authorized().header("Prefer", "respond-async").contentType("application/json")
                .body(Map.of("image", "data:image/png;base64," + Base64.getEncoder().encodeToString(TestImages.png(9, 9)),
                        "target", "zapi", "recipient", "5511980000009", "caption", "x".repeat(2000)))
                .post("/api/photos").then().statusCode(202).extract().header("Location");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> authorized().get(location)
                .then().statusCode(200).body("status", is("failed")).body("record.code", is("INVALID_REQUEST")));
    }

    @Test
    void anAsyncSendIsRefusedAtOnceForAnUnknownDestinationOrAUrlAndAnUnknownIdIsNotFound() {
        authorized().header("Prefer", "respond-async").contentType("application/json")
                .body(Map.of("image", "data:image/png;base64," + Base64.getEncoder().encodeToString(TestImages.png(9, 9)),
                        "destination", "nobody"))
                .post("/api/photos").then().statusCode(422).body("code", is("UNKNOWN_DESTINATION"));
        authorized().header("Prefer", "respond-async").contentType("application/json")
                .body(Map.of("image", "https://example.com/a.jpg", "target", "telegram", "recipient", "80010"))
                .post("/api/photos").then().statusCode(400).body("detail", containsString("respond-async"));
        authorized().get("/api/photos/AAAAAAAAAAAAAAAAAAAAAA").then().statusCode(404)
                .contentType("application/problem+json").body("code", is("NOT_FOUND"));
        given().get("/api/photos/AAAAAAAAAAAAAAAAAAAAAA").then().statusCode(401);
    }

    /**
     * A client whose request reaches the relay in pieces that cut the CRLF before a multipart delimiter in two, after
     * the photo and after a field. Netty's multipart decoder (netty#12729) then keeps the CR in the value: a
     * "telegram\r" target, a photo one byte longer.
     */
    @Test
    void aMultipartRequestCutBetweenCrAndLfIsReadIntact() throws Exception {
        byte[] photo = TestImages.jpeg(90, 60);
        String boundary = "cut-between-cr-and-lf";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(photo);
        int afterPhoto = body.size() + 1; // just past the CR
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"target\"\r\n\r\ntelegram")
                .getBytes(StandardCharsets.US_ASCII));
        int afterTarget = body.size() + 1;
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"recipient\"\r\n\r\n80012"
                + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = body.toByteArray();
        String head = "POST /api/photos HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: Bearer " + TempInbox.API_TOKEN + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n";

        String answer;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            for (int[] piece : new int[][] { { 0, afterPhoto }, { afterPhoto, afterTarget }, { afterTarget, bytes.length } }) {
                out.write(bytes, piece[0], piece[1] - piece[0]);
                out.flush();
                TimeUnit.MILLISECONDS.sleep(200); // each piece arrives, and is decoded, on its own
            }
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"status\":\"sent\"");
        assertThat(Received.only(Received.telegram(telegram, "80012")).getPart("photo").getBody().asBytes())
                .isEqualTo(photo);
    }

    private static RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + TempInbox.API_TOKEN);
    }
}
