package dev.photorelay.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Received;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TempInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Faults of the relay itself are its own: a media store that cannot be written is {@code INTERNAL_ERROR}, not a
 * platform's network error, and is not retried; every recipient of a fan-out ends with an outcome.
 */
@QuarkusTest
@TestProfile(OwnFaultsTest.MediaStoreIsAFile.class)
class OwnFaultsTest {

    /** The media store's path is taken by a file, so nothing can be published (as on a disk gone read-only). */
    public static class MediaStoreIsAFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("media-store-", ".taken");
                return Map.of("relay.media.dir", file.toString(), "relay.media.public-base-url", "http://127.0.0.1:1");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    ProducerTemplate producer;

    @Inject
    CamelContext camel;

    @Inject
    OutcomeAggregator aggregator;

    @InjectSonoran
    WireMockServer sonoran;

    @Test
    void aSonoranPhotoWhoseMediaStoreCannotBeWrittenIsAnInternalErrorAndNotRetried() {
        assertThatThrownBy(() -> producer.requestBodyAndHeaders("direct:send-photo", TestImages.jpeg(10, 10),
                Map.of(PhotoHeaders.TARGET, "sonoran", PhotoHeaders.RECIPIENT, "STEAM:62001")))
                .cause().isInstanceOfSatisfying(PhotoDeliveryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    assertThat(e.result().outcomes().get(0).attempts()).isZero();
                    assertThat(e.getMessage()).contains("cannot write to");
                });
        assertThat(Received.sonoran(sonoran, "STEAM:62001")).isEmpty();

        // the API says so too, and when to ask again
        given().header("Authorization", "Bearer " + TempInbox.API_TOKEN)
                .multiPart("file", "scene.jpg", TestImages.jpeg(10, 10), "image/jpeg")
                .multiPart("target", "sonoran").multiPart("recipient", "STEAM:62002")
                .post("/api/photos").then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("code", is("INTERNAL_ERROR"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'photo-relay' }.data.inbox",
                        org.hamcrest.Matchers.startsWith("cannot write to"));
    }

    @Test
    void aDeliveryConfirmedBeforeAFailureStaysDeliveredAndAFailureWithoutOutcomeBecomesAnInternalError() {
        Recipient reached = new Recipient(Target.TELEGRAM, "62003");
        Recipient broken = new Recipient(Target.TELEGRAM, "62004");
        // the journal's write failed after the platform confirmed the photo
        Exchange confirmed = branch(reached, Outcome.sent(reached, "7", 200), new IOException("journal write failed"));
        // a fault before any outcome: the branch's body is still the recipient
        Exchange failed = branch(broken, broken, new IllegalStateException("a bug"));

        Exchange collected = aggregator.aggregate(aggregator.aggregate(null, confirmed), failed);
        aggregator.onCompletion(collected, new DefaultExchange(camel));

        DeliveryResult result = collected.getMessage().getBody(DeliveryResult.class);
        assertThat(result.outcomes()).hasSize(2);
        assertThat(result.outcomes().get(0).delivered()).isTrue();
        assertThat(result.outcomes().get(0).messageId()).isEqualTo("7");
        assertThat(result.outcomes().get(1).code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(result.outcomes().get(1).recipient()).isEqualTo("62004");
    }

    private Exchange branch(Recipient recipient, Object body, Exception failure) {
        Exchange branch = new DefaultExchange(camel);
        branch.setProperty(PhotoRequest.RECIPIENT, recipient);
        branch.getMessage().setBody(body);
        branch.setException(failure);
        return branch;
    }
}
