package dev.photorelay.platforms;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.photorelay.telegram.BotApi;
import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.LogCapture;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.SonoranWireMock;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TelegramWireMock;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SecretsTest {

    private static final List<String> SECRETS = List.of(TelegramWireMock.TOKEN, ZapiWireMock.TOKEN,
            ZapiWireMock.CLIENT_TOKEN, SonoranWireMock.API_KEY);

    @InjectTelegram
    WireMockServer telegram;

    @InjectZapi
    WireMockServer zapi;

    @InjectSonoran
    WireMockServer sonoran;

    @InjectInbox
    Inbox inbox;

    @Inject
    BotApi bot;

    @Test
    void noSecretReachesALogLineOrARecordEvenWhenAPlatformEchoesIt() throws Exception {
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo("50001")))
                .willReturn(aResponse().withStatus(401).withBody("{\"ok\":false,\"error_code\":401,\"description\":"
                        + "\"Unauthorized: bot" + TelegramWireMock.TOKEN + " is not a valid token\"}")));
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo("50002")))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        zapi.stubFor(post(urlEqualTo(Received.ZAPI_SEND_IMAGE)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.phone", equalTo("5511950000001")))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"Client-Token " + ZapiWireMock.CLIENT_TOKEN
                        + " not allowed for instance token " + ZapiWireMock.TOKEN + "\"}")));
        sonoran.stubFor(post(urlEqualTo(Received.SONORAN_SEND_PHOTO)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.data[0].apiId", equalTo("STEAM:50001")))
                .willReturn(aResponse().withStatus(400).withBody("INVALID API KEY " + SonoranWireMock.API_KEY)));
        List<String> logged;
        try (LogCapture capture = LogCapture.start()) {
            logged = capture.lines();
            for (String file : List.of("telegram/50001/a.jpg", "telegram/50002/b.jpg", "zapi/5511950000001/c.jpg",
                    "sonoran/STEAM:50001/d.jpg")) {
                inbox.drop(file, TestImages.jpeg(16, 16));
            }
            inbox.awaitFailed("telegram/50001/a.jpg");
            inbox.awaitFailed("telegram/50002/b.jpg");
            inbox.awaitFailed("zapi/5511950000001/c.jpg");
            inbox.awaitFailed("sonoran/STEAM:50001/d.jpg");
        }

        assertThat(logged).anyMatch(line -> line.contains("50001"));
        for (String secret : SECRETS) {
            assertThat(logged).noneMatch(line -> line.contains(secret));
            assertThat(recordsText()).doesNotContain(secret);
        }
        assertThat(recordsText()).contains("****");
    }

    @Test
    void theBotsOwnCallsNameNoSecretEvenWhenTelegramEchoesIt() {
        String echo = "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: /bot" + TelegramWireMock.TOKEN
                + "/getFile?file_id=x\"}";
        telegram.stubFor(post(urlEqualTo("/bot" + TelegramWireMock.TOKEN + "/getFile")).atPriority(1)
                .withRequestBody(containing("refused")).willReturn(aResponse().withStatus(400).withBody(echo)));
        telegram.stubFor(post(urlEqualTo("/bot" + TelegramWireMock.TOKEN + "/getFile")).atPriority(1)
                .withRequestBody(containing("broken")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        telegram.stubFor(post(urlEqualTo("/bot" + TelegramWireMock.TOKEN + "/sendMessage")).atPriority(1)
                .willReturn(aResponse().withStatus(502).withBody(echo)));

        List<Throwable> failures = List.of(
                catchThrowable(() -> bot.download("refused")),
                catchThrowable(() -> bot.download("broken")),
                catchThrowable(() -> bot.sendMessage(50001, 1, "Delivered.")));

        assertThat(failures).allSatisfy(failure -> {
            assertThat(failure).isNotNull();
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                for (String secret : SECRETS) {
                    assertThat(String.valueOf(cause.getMessage())).doesNotContain(secret);
                }
            }
        });
        assertThat(failures.get(0).getMessage()).contains("getFile answered 400", "****");
    }

    private String recordsText() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(inbox.root())) {
            for (Path record : files.filter(p -> p.toString().endsWith(".error.json") || p.toString().endsWith(".receipt.json"))
                    .toList()) {
                text.append(Files.readString(record));
            }
        }
        return text.toString();
    }
}
