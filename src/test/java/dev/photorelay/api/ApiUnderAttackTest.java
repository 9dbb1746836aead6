package dev.photorelay.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.RawHttp;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.builder.MultiPartSpecBuilder;
import io.restassured.specification.RequestSpecification;

/**
 * The HTTP API as an attacker uses it: the token is checked before any of the body is read, every refusal is a
 * problem with our code, nothing is left on disk however a request ends, a field has one source, and framing that
 * two parsers could read apart is refused.
 */
@QuarkusTest
class ApiUnderAttackTest {

    private static final Duration QUIET = Duration.ofSeconds(8);

    @InjectTelegram
    WireMockServer telegram;

    @InjectInbox
    Inbox inbox;

    @Test
    void aRequestWithoutTheTokenIsRefusedFromItsHeadersBeforeItsBodyIsRead() {
        // headers announcing 3 MB, and not one byte of the body: the answer cannot have waited for it
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send("POST /api/photos HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 3145728\r\n\r\n").read(QUIET);

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.text()).contains("application/problem+json", "\"code\":\"UNAUTHORIZED\"");
        }
        assertNoUploadLeft();
    }

    @Test
    void aBodySentWithoutTheTokenIsDroppedNotWritten() {
        byte[] body = multipart("b", TestImages.padded(TestImages.jpeg(20, 20), 1024 * 1024), "telegram", "80101");
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send(head("Bearer wrong", "multipart/form-data; boundary=b", body.length))
                    .send(body).read(QUIET);

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.closed()).isTrue();
        }
        assertNoUploadLeft();
        assertThat(Received.telegram(telegram, "80101")).isEmpty();
    }

    @Test
    void aBodyThatNeverEndsIsAnsweredRequestTimeoutAndLeavesNoUploadBehind() {
        // the closing --b-- never comes: the test relay's relay.api.read-timeout is 2 s
        byte[] whole = multipart("b", TestImages.jpeg(300, 200), "telegram", "80102");
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send(head(bearer(), "multipart/form-data; boundary=b", whole.length))
                    .send(cut).read(QUIET);

            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.text()).contains("\"code\":\"REQUEST_TIMEOUT\"");
            assertThat(answer.closed()).isTrue();
        }
        assertNoUploadLeft();
        assertThat(Received.telegram(telegram, "80102")).isEmpty();
    }

    @Test
    void aMultipartBodyWithoutItsClosingDelimiterIsAnsweredRequestTimeout() {
        // the whole Content-Length arrives, but the multipart never ends: the decoder would wait for good
        byte[] body = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n"
                + "A".repeat(300_000)).getBytes(StandardCharsets.US_ASCII);
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send(head(bearer(), "multipart/form-data; boundary=b", body.length))
                    .send(body).read(QUIET);

            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.text()).contains("\"code\":\"REQUEST_TIMEOUT\"");
        }
        assertNoUploadLeft();
    }

    @Test
    void aClientThatLeavesMidBodyLeavesNoUploadBehind() {
        byte[] whole = multipart("b", TestImages.padded(TestImages.jpeg(20, 20), 512 * 1024), "telegram", "80103");
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            http.send(head(bearer(), "multipart/form-data; boundary=b", whole.length))
                    .send(java.util.Arrays.copyOf(whole, whole.length - 1000));
            // the relay has begun writing the upload to disk when the client goes
            await().atMost(Duration.ofSeconds(5)).until(() -> uploads().findAny().isPresent());
        }
        assertNoUploadLeft();
    }

    @Test
    void aContentLengthOverMaxBodyIsRefusedFromTheHeaderAsAProblem() {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send(head(bearer(), "multipart/form-data; boundary=b", 31457280)).read(QUIET);

            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.text()).contains("application/problem+json", "\"code\":\"PAYLOAD_TOO_LARGE\"");
        }
    }

    @Test
    void thousandsOfPartsAreRefusedWithACodeAndLeaveNoUploadBehind() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 3000; i++) {
            body.writeBytes(("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p" + i + ".jpg\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n0123456789abcdef\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes("--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = body.toByteArray();
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send(head(bearer(), "multipart/form-data; boundary=b", bytes.length))
                    .send(bytes).read(QUIET);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.text()).contains("application/problem+json", "\"code\":\"INVALID_REQUEST\"");
        }
        assertNoUploadLeft();
    }

    @Test
    void aCaptionOfAThousandCharactersInAMultiByteScriptIsTaken() {
        String caption = "語".repeat(1024); // 3,072 bytes
        authorized().multiPart("file", "long.jpg", TestImages.jpeg(20, 20), "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "80104")
                .multiPart(new MultiPartSpecBuilder(caption).controlName("caption").charset(StandardCharsets.UTF_8)
                        .build())
                .post("/api/photos").then().statusCode(200).body("status", is("sent"));

        assertThat(Received.only(Received.telegram(telegram, "80104")).getPart("caption").getBody().asString())
                .isEqualTo(caption);
    }

    @Test
    void aFieldOverItsLimitIsAProblemWithOurCode() {
        authorized().multiPart("file", "x.jpg", TestImages.jpeg(20, 20), "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "8".repeat(5000))
                .post("/api/photos").then().statusCode(400).contentType("application/problem+json")
                .body("code", is("INVALID_REQUEST"));
    }

    @Test
    void aFilePartWithoutAFileNameOrAMultipartWithoutABoundaryIsAProblemWithOurCode() {
        byte[] noFileName = ("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n0123456789\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"target\"\r\n\r\ntelegram\r\n--b--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send(head(bearer(), "multipart/form-data; boundary=b", noFileName.length))
                    .send(noFileName).read(QUIET);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.text()).contains("application/problem+json", "\"code\":\"INVALID_REQUEST\"");
        }
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send(head(bearer(), "multipart/form-data", noFileName.length))
                    .send(noFileName).read(QUIET);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.text()).contains("application/problem+json", "\"code\":\"INVALID_REQUEST\"");
        }
    }

    @Test
    void fieldsComeOnlyFromTheBodyNotFromHeadersOrTheQuery() {
        // the destination only as headers or in the query: no destination at all
        authorized().header("Target", "telegram").header("Recipient", "80105")
                .multiPart("file", "x.jpg", TestImages.jpeg(20, 20), "image/jpeg")
                .post("/api/photos?caption=fromquery").then().statusCode(422).body("code", is("UNKNOWN_DESTINATION"));
        // a caption only as a header is not the photo's caption
        authorized().header("Caption", "from a header")
                .multiPart("file", "x.jpg", TestImages.jpeg(20, 20), "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "80106")
                .post("/api/photos").then().statusCode(200);

        assertThat(Received.telegram(telegram, "80105")).isEmpty();
        assertThat(Received.only(Received.telegram(telegram, "80106")).getPart("caption")).isNull();
    }

    @Test
    void aJsonKeyGivenTwiceOrAFormFieldGivenTwiceIsRefused() {
        authorized().contentType("application/json")
                .body("{\"image\": \"https://example.com/a.jpg\", \"target\": \"zapi\", "
                        + "\"recipient\": \"5511999000010\", \"recipient\": \"5511999000011\"}")
                .post("/api/photos").then().statusCode(400).body("code", is("INVALID_REQUEST"));
        authorized().multiPart("file", "x.jpg", TestImages.jpeg(20, 20), "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "80107").multiPart("recipient", "80108")
                .post("/api/photos").then().statusCode(400).body("code", is("INVALID_REQUEST"));

        assertThat(Received.telegram(telegram, "80107")).isEmpty();
        assertThat(Received.telegram(telegram, "80108")).isEmpty();
    }

    @Test
    void aRequestFramedByBothContentLengthAndChunkingEndsItsConnectionAndNothingSmuggledIsAnswered() {
        String smuggled = "GET /api/photos/AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: " + bearer() + "\r\n\r\n";
        String chunked = "0\r\n\r\n" + smuggled;
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send("POST /api/photos HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: " + bearer() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + chunked.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
                    .read(QUIET);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.answers()).as(answer.text()).isEqualTo(1);
            assertThat(answer.closed()).isTrue();
        }
    }

    @Test
    void noPerRequestValueBecomesAMetricLabel() {
        String token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        given().post("/media/" + token);
        given().options("/media/" + token);
        given().get("/media/" + token);
        given().post("/api/SECRETPATH42");
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            http.send("XSECRETMETHOD42 /media/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").read(QUIET);
        }

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain(token, "SECRETPATH42", "SECRETMETHOD42").contains("uri=\"/media/{token}\"");
    }

    @Test
    void aSecondRequestHiddenInAChunkedBodyIsNotAnsweredOnAnyPath() {
        String hidden = "GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String chunked = "0\r\n\r\n" + hidden;
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            RawHttp.Answer answer = http.send("POST /media/abc HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: " + chunked.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
                    .read(QUIET);

            assertThat(answer.answers()).as(answer.text()).isEqualTo(1);
            assertThat(answer.closed()).isTrue();
        }
    }

    private void assertNoUploadLeft() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(uploads()).isEmpty());
    }

    private Stream<Path> uploads() throws IOException {
        Path folder = inbox.root().resolve(".uploads");
        if (!Files.isDirectory(folder)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList().stream();
        }
    }

    private static String bearer() {
        return "Bearer " + TempInbox.API_TOKEN;
    }

    private static String head(String authorization, String contentType, long length) {
        return "POST /api/photos HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization + "\r\n"
                + "Content-Type: " + contentType + "\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private static byte[] multipart(String boundary, byte[] photo, String target, String recipient) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(photo);
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"target\"\r\n\r\n" + target
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"recipient\"\r\n\r\n" + recipient
                + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static RequestSpecification authorized() {
        return given().header("Authorization", bearer());
    }
}
