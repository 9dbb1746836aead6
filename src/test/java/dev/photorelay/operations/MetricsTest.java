package dev.photorelay.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;

/** The Prometheus counters at /q/metrics move with what the relay does. */
@QuarkusTest
class MetricsTest {

    private static final String DELIVERED = "relay_photos_delivered_total{target=\"telegram\"}";
    private static final String FAILED = "relay_photos_failed_total{code=\"UPSTREAM_UNAVAILABLE\",target=\"telegram\"}";
    private static final String REJECTED = "relay_photos_rejected_total{code=\"UNSUPPORTED_MEDIA\"}";
    private static final String RETRIES = "relay_retries_total{target=\"telegram\"}";
    private static final String BYTES = "relay_bytes_sent_total{target=\"telegram\"}";
    private static final String DELIVERY_TIMES = "relay_delivery_seconds_count{target=\"telegram\"}";

    @InjectTelegram
    WireMockServer telegram;

    @InjectInbox
    Inbox inbox;

    @Test
    void deliveriesFailuresRetriesAndBytesAreCounted() {
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo("70002")))
                .willReturn(aResponse().withStatus(500)));
        byte[] photo = TestImages.jpeg(64, 48);
        String before = metrics();

        inbox.drop("telegram/70001/counted.jpg", photo);
        inbox.drop("telegram/70002/failing.jpg", TestImages.jpeg(32, 24));
        inbox.drop("telegram/70003/notes.jpg", "not a photo".getBytes());
        inbox.awaitSent("telegram/70001/counted.jpg");
        inbox.awaitFailed("telegram/70002/failing.jpg");
        inbox.awaitFailed("telegram/70003/notes.jpg");
        String after = metrics();

        assertThat(value(after, DELIVERED) - value(before, DELIVERED)).isEqualTo(1);
        assertThat(value(after, DELIVERY_TIMES) - value(before, DELIVERY_TIMES)).isEqualTo(1);
        assertThat(value(after, FAILED) - value(before, FAILED)).isEqualTo(1);
        assertThat(value(after, REJECTED) - value(before, REJECTED)).isEqualTo(1);
        // the failing photo was tried three times in the test relay: two retries
        assertThat(value(after, RETRIES) - value(before, RETRIES)).isEqualTo(2);
        assertThat(value(after, BYTES) - value(before, BYTES)).isEqualTo(photo.length + 3.0 * TestImages.jpeg(32, 24).length);
        assertThat(after).contains("relay_delivery_seconds_bucket{target=\"telegram\",le=", "relay_inbox_waiting ");
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** A counter's value, 0 before it first moved. */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
