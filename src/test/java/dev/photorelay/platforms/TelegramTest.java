package dev.photorelay.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TelegramTest {

    @InjectTelegram
    WireMockServer telegram;

    @InjectInbox
    Inbox inbox;

    @Test
    void droppedPhotoIsUploadedAsMultipartWithItsExactBytes() throws Exception {
        byte[] photo = TestImages.jpeg(640, 480);
        inbox.dropSidecar("telegram/11111/cat.jpg", """
                {"caption": "Olá, cat 🐈", "parseMode": "HTML", "replyTo": 42}""");
        inbox.drop("telegram/11111/cat.jpg", photo);

        JsonNode receipt = inbox.awaitSent("telegram/11111/cat.jpg");

        LoggedRequest request = Received.only(Received.telegram(telegram, "11111"));
        assertThat(request.getUrl()).isEqualTo(Received.TELEGRAM_SEND_PHOTO);
        assertThat(request.getHeader("Content-Type")).startsWith("multipart/form-data");
        Request.Part part = request.getPart("photo");
        assertThat(part.getBody().asBytes()).isEqualTo(photo);
        assertThat(part.getHeader("Content-Type").firstValue()).isEqualTo("image/jpeg");
        assertThat(part.getHeader("Content-Disposition").firstValue()).contains("filename=\"cat.jpg\"");
        assertThat(request.getPart("caption").getBody().asString()).isEqualTo("Olá, cat 🐈");
        assertThat(request.getPart("parse_mode").getBody().asString()).isEqualTo("HTML");
        assertThat(request.getPart("reply_to_message_id").getBody().asString()).isEqualTo("42");

        assertThat(receipt.path("status").asText()).isEqualTo("sent");
        JsonNode outcome = receipt.path("recipients").get(0);
        assertThat(outcome.path("target").asText()).isEqualTo("telegram");
        assertThat(outcome.path("recipient").asText()).isEqualTo("11111");
        assertThat(outcome.path("messageId").asText()).isEqualTo("101");
        assertThat(outcome.path("httpStatus").asInt()).isEqualTo(200);
        assertThat(Files.readAllBytes(inbox.sent("telegram/11111/cat.jpg"))).isEqualTo(photo);
        assertThat(inbox.sent("telegram/11111/cat.jpg.json")).exists();
        assertThat(inbox.root().resolve("telegram/11111/cat.jpg")).doesNotExist();
    }

    @Test
    void channelUsernamesAreValidRecipients() {
        inbox.drop("telegram/@relay_news/news.png", TestImages.png(50, 50));

        inbox.awaitSent("telegram/@relay_news/news.png");

        assertThat(Received.only(Received.telegram(telegram, "@relay_news")).getPart("photo").getHeader("Content-Type").firstValue())
                .isEqualTo("image/png");
    }

    @Test
    void aSecondPhotoOfTheSameNameNeverOverwritesTheFirst() throws Exception {
        byte[] first = TestImages.jpeg(10, 10);
        byte[] second = TestImages.jpeg(20, 20);
        inbox.drop("telegram/22222/same.jpg", first);
        inbox.awaitSent("telegram/22222/same.jpg");
        inbox.drop("telegram/22222/same.jpg", second);

        JsonNode receipt = inbox.awaitSent("telegram/22222/same-1.jpg");

        assertThat(receipt.path("file").asText()).isEqualTo("telegram/22222/same-1.jpg");
        assertThat(Files.readAllBytes(inbox.sent("telegram/22222/same.jpg"))).isEqualTo(first);
        assertThat(Files.readAllBytes(inbox.sent("telegram/22222/same-1.jpg"))).isEqualTo(second);
    }
}
