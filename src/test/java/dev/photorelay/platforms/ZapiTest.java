package dev.photorelay.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ZapiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectZapi
    WireMockServer zapi;

    @InjectInbox
    Inbox inbox;

    @Test
    void droppedPhotoTravelsAsADataUriOfItsExactBytes() throws Exception {
        byte[] photo = TestImages.png(300, 200);
        inbox.dropSidecar("zapi/5511987650001/logo.png", """
                {"caption": "Logo", "replyTo": "D241XXXX732339502B68", "delaySeconds": 5, "viewOnce": true}""");
        inbox.drop("zapi/5511987650001/logo.png", photo);

        JsonNode receipt = inbox.awaitSent("zapi/5511987650001/logo.png");

        LoggedRequest request = Received.only(Received.zapi(zapi, "5511987650001"));
        assertThat(request.getHeader("Client-Token")).isEqualTo(ZapiWireMock.CLIENT_TOKEN);
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(request.getBodyAsString());
        String image = body.path("image").asText();
        assertThat(image).startsWith("data:image/png;base64,");
        assertThat(Base64.getDecoder().decode(image.substring(image.indexOf(',') + 1))).isEqualTo(photo);
        assertThat(body.path("caption").asText()).isEqualTo("Logo");
        assertThat(body.path("messageId").asText()).isEqualTo("D241XXXX732339502B68");
        assertThat(body.path("delayMessage").asInt()).isEqualTo(5);
        assertThat(body.path("viewOnce").asBoolean()).isTrue();

        JsonNode outcome = receipt.path("recipients").get(0);
        assertThat(outcome.path("status").asText()).isEqualTo("sent");
        assertThat(outcome.path("messageId").asText()).isEqualTo("D241XXXX732339502B68");
    }

    @Test
    void aGifIsRefusedForWhatsAppBeforeAnyRequest() {
        inbox.drop("zapi/5511987650002/anim.gif", TestImages.gif(20, 20));

        JsonNode record = inbox.awaitFailed("zapi/5511987650002/anim.gif");

        assertThat(record.path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(Received.zapi(zapi, "5511987650002")).isEmpty();
    }
}
