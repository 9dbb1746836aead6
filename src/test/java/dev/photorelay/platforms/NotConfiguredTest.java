package dev.photorelay.platforms;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.is;

import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoHeaders;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TempInbox;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A platform without its keys still lets the relay start; a photo for it fails naming the missing key. */
@QuarkusTest
@TestProfile(NotConfiguredTest.WithoutSomeKeys.class)
class NotConfiguredTest {

    public static class WithoutSomeKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.zapi.client-token", "", "relay.media.public-base-url", "");
        }
    }

    @Inject
    ProducerTemplate producer;

    @InjectZapi
    WireMockServer zapi;

    @InjectSonoran
    WireMockServer sonoran;

    @Test
    void aPhotoForAPlatformWithoutItsKeysFailsNamingTheKey() {
        assertThatThrownBy(() -> send("zapi", "5511960000001"))
                .cause().isInstanceOfSatisfying(PhotoDeliveryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_CONFIGURED);
                    assertThat(e.getMessage()).contains("relay.zapi.client-token");
                });
        assertThat(Received.zapi(zapi, "5511960000001")).isEmpty();
    }

    @Test
    void readinessIsDownWhileAPlatformIsHalfConfiguredNamingTheMissingKey() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", is("DOWN"))
                .body("checks.find { it.name == 'photo-relay' }.data.zapi", is("incomplete: set relay.zapi.client-token"))
                .body("checks.find { it.name == 'photo-relay' }.data.telegram", is("configured"));
    }

    @Test
    void theApiAnswersServiceUnavailableForAPlatformNotConfigured() {
        given().header("Authorization", "Bearer " + TempInbox.API_TOKEN).contentType("application/json")
                .body(Map.of("image", "https://example.com/a.jpg", "target", "zapi", "recipient", "5511960000002"))
                .post("/api/photos").then().statusCode(503).contentType("application/problem+json")
                .body("code", is("NOT_CONFIGURED"))
                .body("detail", org.hamcrest.Matchers.containsString("relay.zapi.client-token"));
    }

    @Test
    void photoBytesForSonoranNeedAPublicBaseUrl() {
        assertThatThrownBy(() -> send("sonoran", "STEAM:60001"))
                .cause().isInstanceOfSatisfying(PhotoDeliveryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_CONFIGURED);
                    assertThat(e.getMessage()).contains("relay.media.public-base-url");
                });
        assertThat(Received.sonoran(sonoran, "STEAM:60001")).isEmpty();
    }

    private void send(String target, String recipient) {
        producer.requestBodyAndHeaders("direct:send-photo", TestImages.jpeg(10, 10),
                Map.of(PhotoHeaders.TARGET, target, PhotoHeaders.RECIPIENT, recipient));
    }
}
