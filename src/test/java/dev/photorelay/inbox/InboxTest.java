package dev.photorelay.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class InboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectTelegram
    WireMockServer telegram;

    @InjectZapi
    WireMockServer zapi;

    @InjectSonoran
    WireMockServer sonoran;

    @InjectInbox
    Inbox inbox;

    @Test
    void aliasFansOutToAllThreePlatformsWithTheSidecarCaption() throws Exception {
        byte[] photo = TestImages.jpeg(320, 240);
        inbox.dropSidecar("everyone/party.jpg", "{\"caption\": \"Party time\"}");
        inbox.drop("everyone/party.jpg", photo);

        JsonNode receipt = inbox.awaitSent("everyone/party.jpg");

        var toTelegram = Received.only(Received.telegram(telegram, TempInbox.EVERYONE_TELEGRAM));
        assertThat(toTelegram.getPart("photo").getBody().asBytes()).isEqualTo(photo);
        assertThat(toTelegram.getPart("caption").getBody().asString()).isEqualTo("Party time");
        JsonNode toZapi = JSON.readTree(Received.only(Received.zapi(zapi, TempInbox.EVERYONE_ZAPI)).getBodyAsString());
        assertThat(toZapi.path("caption").asText()).isEqualTo("Party time");
        String image = toZapi.path("image").asText();
        assertThat(Base64.getDecoder().decode(image.substring(image.indexOf(',') + 1))).isEqualTo(photo);
        JsonNode toSonoran = JSON.readTree(Received.only(Received.sonoran(sonoran, TempInbox.EVERYONE_SONORAN)).getBodyAsString());
        assertThat(toSonoran.path("data").get(0).path("url").asText()).contains("/media/");

        assertThat(receipt.path("recipients")).hasSize(3);
        assertThat(receipt.path("recipients").findValuesAsText("status")).containsOnly("sent");
        assertThat(receipt.path("recipients").findValuesAsText("target")).containsExactly("telegram", "zapi", "sonoran");
    }

    @Test
    void oneRecipientFailingDoesNotStopTheOthers() {
        zapi.stubFor(post(urlEqualTo(Received.ZAPI_SEND_IMAGE)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.caption", equalTo("zapi is down")))
                .willReturn(aResponse().withStatus(503)));
        inbox.dropSidecar("everyone/outage.jpg", "{\"caption\": \"zapi is down\"}");
        inbox.drop("everyone/outage.jpg", TestImages.jpeg(32, 32));

        JsonNode record = inbox.awaitFailed("everyone/outage.jpg");

        assertThat(record.path("code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
        JsonNode outcomes = record.path("recipients");
        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(0).path("status").asText()).isEqualTo("sent");
        assertThat(outcomes.get(1).path("status").asText()).isEqualTo("failed");
        assertThat(outcomes.get(1).path("httpStatus").asInt()).isEqualTo(503);
        assertThat(outcomes.get(2).path("status").asText()).isEqualTo("sent");
    }

    @Test
    void aNonImageAnEmptyFileAndATruncatedOneAreRejectedBeforeAnyRequest() {
        inbox.drop("telegram/30001/notes.jpg", "just text, renamed".getBytes());
        inbox.drop("telegram/30002/empty.jpg", new byte[0]);
        inbox.drop("telegram/30004/truncated.jpg", Arrays.copyOf(TestImages.jpeg(100, 100), 40));

        assertThat(inbox.awaitFailed("telegram/30001/notes.jpg").path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(inbox.awaitFailed("telegram/30002/empty.jpg").path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(inbox.awaitFailed("telegram/30004/truncated.jpg").path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        for (String chat : new String[] { "30001", "30002", "30004" }) {
            assertThat(Received.telegram(telegram, chat)).isEmpty();
        }
    }

    @Test
    void aPlainCaptionOver1024CharactersIsRefusedBeforeAnyRequest() {
        inbox.dropSidecar("telegram/30013/long.jpg", "{\"caption\": \"" + "x".repeat(1025) + "\"}");
        inbox.drop("telegram/30013/long.jpg", TestImages.jpeg(10, 10));

        JsonNode longCaption = inbox.awaitFailed("telegram/30013/long.jpg");
        assertThat(longCaption.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(longCaption.path("message").asText()).contains("1024");
        assertThat(longCaption.path("recipients").get(0).path("attempts").asInt()).isZero();
        assertThat(Received.telegram(telegram, "30013")).isEmpty();
    }

    @Test
    void badDestinationsAndSidecarsFailWithAClearCode() {
        inbox.drop("nobody/a.jpg", TestImages.jpeg(10, 10));
        inbox.drop("telegram/c.jpg", TestImages.jpeg(10, 10));
        inbox.drop("telegram/not a chat/d.jpg", TestImages.jpeg(10, 10));
        inbox.dropSidecar("telegram/30021/e.jpg", "{\"delaySeconds\": \"soon\"}");
        inbox.drop("telegram/30021/e.jpg", TestImages.jpeg(10, 10));
        inbox.dropSidecar("telegram/30022/f.jpg", "{caption: broken");
        inbox.drop("telegram/30022/f.jpg", TestImages.jpeg(10, 10));
        inbox.dropSidecar("zapi/5511900000099/g.jpg", "{\"delaySeconds\": 99}");
        inbox.drop("zapi/5511900000099/g.jpg", TestImages.jpeg(10, 10));

        assertThat(inbox.awaitFailed("nobody/a.jpg").path("code").asText()).isEqualTo("UNKNOWN_DESTINATION");
        assertThat(inbox.awaitFailed("telegram/c.jpg").path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(inbox.awaitFailed("telegram/not a chat/d.jpg").path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(inbox.awaitFailed("telegram/30021/e.jpg").path("message").asText()).contains("delaySeconds");
        assertThat(inbox.failed("telegram/30021/e.jpg.json")).exists();
        assertThat(inbox.awaitFailed("telegram/30022/f.jpg").path("message").asText()).contains("not valid JSON");
        assertThat(inbox.awaitFailed("zapi/5511900000099/g.jpg").path("message").asText()).contains("between 1 and 15");
    }

    @Test
    void aFileWrittenSlowlyIsSentOnceCompleteAndByteIdentical() throws Exception {
        byte[] photo = TestImages.padded(TestImages.jpeg(200, 200), 64 * 1024);
        Path target = inbox.root().resolve("telegram/30031/slow.jpg");
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int offset = 0; offset < photo.length; offset += 2048) {
                out.write(photo, offset, Math.min(2048, photo.length - offset));
                out.flush();
                TimeUnit.MILLISECONDS.sleep(50); // paces the producer: a chunk every 50 ms, well inside stable-for
            }
        }

        inbox.awaitSent("telegram/30031/slow.jpg");

        assertThat(Received.only(Received.telegram(telegram, "30031")).getPart("photo").getBody().asBytes()).isEqualTo(photo);
    }

    @Test
    void partialHiddenAndTemporaryFilesAreNeverTaken() throws Exception {
        Path folder = Files.createDirectories(inbox.root().resolve("telegram/30041"));
        Files.write(folder.resolve("upload.jpg.part"), TestImages.jpeg(10, 10));
        Files.write(folder.resolve("upload.jpg.tmp"), TestImages.jpeg(10, 10));
        Files.write(folder.resolve(".hidden.jpg"), TestImages.jpeg(10, 10));
        inbox.drop("telegram/30041/marker.jpg", TestImages.jpeg(10, 10));

        inbox.awaitSent("telegram/30041/marker.jpg");

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> Files.exists(folder.resolve("upload.jpg.part")) && Files.exists(folder.resolve(".hidden.jpg"))
                        && Files.exists(folder.resolve("upload.jpg.tmp")));
        assertThat(Received.telegram(telegram, "30041")).hasSize(1);
    }
}
