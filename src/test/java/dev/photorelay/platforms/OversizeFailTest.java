package dev.photorelay.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code oversize=fail}: a photo over a platform's limits is refused before any call, as before fitting existed. */
@QuarkusTest
@TestProfile(OversizeFailTest.Fail.class)
class OversizeFailTest {

    public static class Fail implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.telegram.oversize", "fail", "relay.zapi.oversize", "fail");
        }
    }

    @InjectTelegram
    WireMockServer telegram;

    @InjectZapi
    WireMockServer zapi;

    @InjectInbox
    Inbox inbox;

    @Test
    void photosOverTelegramsLimitsAreRefusedBeforeAnyRequest() {
        inbox.drop("telegram/61201/huge.jpg", TestImages.padded(TestImages.jpeg(100, 100), 11 * 1024 * 1024));
        inbox.drop("telegram/61202/wide.png", TestImages.png(2100, 100));
        inbox.drop("telegram/61203/pano.png", TestImages.pngHeader(6000, 6000));

        assertThat(inbox.awaitFailed("telegram/61201/huge.jpg").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(inbox.awaitFailed("telegram/61202/wide.png").path("message").asText()).contains("aspect ratio");
        assertThat(inbox.awaitFailed("telegram/61203/pano.png").path("message").asText()).contains("width + height");
        for (String chat : new String[] { "61201", "61202", "61203" }) {
            assertThat(Received.telegram(telegram, chat)).isEmpty();
            assertThat(Received.telegramDocuments(telegram, chat)).isEmpty();
        }
    }

    @Test
    void aPhotoOverFiveMegabytesIsRefusedForWhatsAppBeforeAnyRequest() {
        inbox.drop("zapi/5511960620001/big.jpg", TestImages.padded(TestImages.jpeg(100, 100), 6 * 1024 * 1024));

        assertThat(inbox.awaitFailed("zapi/5511960620001/big.jpg").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(Received.zapi(zapi, "5511960620001")).isEmpty();
    }
}
