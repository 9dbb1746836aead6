package dev.photorelay.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Fan-out accounting: a photo to an alias reaches each recipient once, whether one of them needs retries or the
 * photo comes back from {@code .failed/} after a person fixed what was wrong. The photos go to the alias
 * {@code everyone}, which other tests use too, so each photo here has a caption of its own and is told apart by it
 * (Sonoran gets no caption: there it is told apart by the photo its media URL serves).
 */
@QuarkusTest
class RedeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @InjectTelegram
    WireMockServer telegram;

    @InjectZapi
    WireMockServer zapi;

    @InjectSonoran
    WireMockServer sonoran;

    @InjectInbox
    Inbox inbox;

    @Test
    void aPhotoMovedBackFromFailedIsSentOnlyToTheRecipientsItHadNotReached() throws IOException {
        String caption = "redelivery: zapi down, then back";
        byte[] photo = TestImages.jpeg(53, 37);
        StubMapping zapiDown = zapi.stubFor(zapiFor(caption).willReturn(aResponse().withStatus(503)));
        inbox.dropSidecar("everyone/comeback.jpg", "{\"caption\": \"" + caption + "\"}");
        inbox.drop("everyone/comeback.jpg", photo);

        JsonNode record = inbox.awaitFailed("everyone/comeback.jpg");

        assertThat(record.path("code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(outcome(record, "telegram").path("status").asText()).isEqualTo("sent");
        assertThat(outcome(record, "telegram").path("attempts").asInt()).isEqualTo(1);
        assertThat(outcome(record, "sonoran").path("status").asText()).isEqualTo("sent");
        assertThat(outcome(record, "sonoran").path("attempts").asInt()).isEqualTo(1);
        assertThat(outcome(record, "zapi").path("status").asText()).isEqualTo("failed");
        assertThat(outcome(record, "zapi").path("code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(outcome(record, "zapi").path("attempts").asInt()).isEqualTo(3);
        assertThat(toTelegram(caption)).hasSize(1);
        assertThat(toSonoran(photo)).hasSize(1);
        assertThat(toZapi(caption)).hasSize(3);

        // Z-API is back; a person puts the photo (sidecar first, so that it goes with its caption) back in the inbox
        zapi.removeStub(zapiDown);
        Files.move(inbox.failed("everyone/comeback.jpg.json"), inbox.root().resolve("everyone/comeback.jpg.json"));
        Files.move(inbox.failed("everyone/comeback.jpg"), inbox.root().resolve("everyone/comeback.jpg"));

        JsonNode receipt = inbox.awaitSent("everyone/comeback.jpg");

        assertThat(outcome(receipt, "telegram").path("status").asText()).isEqualTo("sent");
        assertThat(outcome(receipt, "telegram").path("alreadySent").asBoolean()).isTrue();
        assertThat(outcome(receipt, "sonoran").path("status").asText()).isEqualTo("sent");
        assertThat(outcome(receipt, "sonoran").path("alreadySent").asBoolean()).isTrue();
        assertThat(outcome(receipt, "zapi").path("status").asText()).isEqualTo("sent");
        assertThat(outcome(receipt, "zapi").has("alreadySent")).isFalse();
        assertThat(outcome(receipt, "zapi").path("attempts").asInt()).isEqualTo(1);
        assertThat(toTelegram(caption)).hasSize(1);
        assertThat(toSonoran(photo)).hasSize(1);
        assertThat(toZapi(caption)).hasSize(4);
        // the new receipt tells the whole story, so the old record does not linger beside nothing
        assertThat(inbox.failed("everyone/comeback.jpg.error.json")).doesNotExist();
        assertThat(inbox.failed("everyone/comeback.jpg")).doesNotExist();
    }

    @Test
    void aRecipientThatNeedsASecondAttemptIsTheOnlyOneCalledAgain() {
        String caption = "redelivery: zapi fails once";
        byte[] photo = TestImages.jpeg(47, 31);
        zapi.stubFor(zapiFor(caption).inScenario(caption).whenScenarioStateIs(STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(503)));
        zapi.stubFor(zapiFor(caption).inScenario(caption).whenScenarioStateIs("recovered")
                .willReturn(okJson("{\"zaapId\":\"52RETRY\",\"messageId\":\"52RETRY-MSG\"}")));
        inbox.dropSidecar("everyone/second-try.jpg", "{\"caption\": \"" + caption + "\"}");
        inbox.drop("everyone/second-try.jpg", photo);

        JsonNode receipt = inbox.awaitSent("everyone/second-try.jpg");

        assertThat(receipt.path("recipients").findValuesAsText("status")).containsOnly("sent");
        assertThat(outcome(receipt, "zapi").path("attempts").asInt()).isEqualTo(2);
        assertThat(outcome(receipt, "zapi").path("messageId").asText()).isEqualTo("52RETRY-MSG");
        assertThat(outcome(receipt, "telegram").path("attempts").asInt()).isEqualTo(1);
        assertThat(outcome(receipt, "sonoran").path("attempts").asInt()).isEqualTo(1);
        assertThat(toZapi(caption)).hasSize(2);
        assertThat(toTelegram(caption)).hasSize(1);
        assertThat(toSonoran(photo)).hasSize(1);
    }

    private static MappingBuilder zapiFor(String caption) {
        return post(urlEqualTo(Received.ZAPI_SEND_IMAGE)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.phone", equalTo(TempInbox.EVERYONE_ZAPI)))
                .withRequestBody(matchingJsonPath("$.caption", equalTo(caption)));
    }

    private static JsonNode outcome(JsonNode record, String target) {
        for (JsonNode outcome : record.path("recipients")) {
            if (target.equals(outcome.path("target").asText())) {
                return outcome;
            }
        }
        throw new AssertionError("no outcome for " + target + " in " + record);
    }

    private List<LoggedRequest> toTelegram(String caption) {
        return Received.telegram(telegram, TempInbox.EVERYONE_TELEGRAM).stream()
                .filter(r -> r.getPart("caption") != null && caption.equals(r.getPart("caption").getBody().asString()))
                .toList();
    }

    private List<LoggedRequest> toZapi(String caption) {
        return Received.zapi(zapi, TempInbox.EVERYONE_ZAPI).stream()
                .filter(r -> caption.equals(json(r).path("caption").asText()))
                .toList();
    }

    /** Sonoran is sent a link, not the photo: the requests whose link serves this very photo. */
    private List<LoggedRequest> toSonoran(byte[] photo) {
        return Received.sonoran(sonoran, TempInbox.EVERYONE_SONORAN).stream()
                .filter(r -> Arrays.equals(photo, fetch(json(r).path("data").get(0).path("url").asText())))
                .toList();
    }

    private static byte[] fetch(String url) {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? response.body() : new byte[0];
        } catch (IOException e) {
            // a link other tests sent (to a host that does not exist here): not this photo
            return new byte[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
