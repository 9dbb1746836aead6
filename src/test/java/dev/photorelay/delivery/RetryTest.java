package dev.photorelay.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Transient failures are tried again (the test relay: 3 tries, backoff from 100 ms), a platform's wait is honoured,
 * permanent failures are not retried, and a photo being retried holds up no other photo.
 */
@QuarkusTest
class RetryTest {

    @InjectTelegram
    WireMockServer telegram;

    @InjectInbox
    Inbox inbox;

    @Test
    void aPhotoThatFailsTwiceThenSucceedsIsDeliveredOnceOnTheThirdAttempt() {
        answerInTurn("41001", aResponse().withStatus(503), aResponse().withStatus(502).withBody("<html>Bad Gateway</html>"),
                okJson(ok(7)));

        JsonNode receipt = inbox.awaitSent(drop("41001"));

        assertThat(Received.telegram(telegram, "41001")).hasSize(3);
        JsonNode outcome = receipt.path("recipients").get(0);
        assertThat(outcome.path("status").asText()).isEqualTo("sent");
        assertThat(outcome.path("messageId").asText()).isEqualTo("7");
        assertThat(outcome.path("attempts").asInt()).isEqualTo(3);
    }

    @Test
    void aTooManyRequestsWithRetryAfterIsWaitedOutThenSent() {
        answerInTurn("41002", aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                .withBody(tooManyRequests(2)), okJson(ok(8)));

        JsonNode receipt = inbox.awaitSent(drop("41002"));

        List<LoggedRequest> requests = Received.telegram(telegram, "41002");
        assertThat(requests).hasSize(2);
        assertThat(gap(requests.get(0), requests.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(receipt.path("recipients").get(0).path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void anHttpRetryAfterHeaderIsWaitedOutToo() {
        answerInTurn("41003", aResponse().withStatus(429).withHeader("Retry-After", "1"), okJson(ok(9)));

        inbox.awaitSent(drop("41003"));

        List<LoggedRequest> requests = Received.telegram(telegram, "41003");
        assertThat(requests).hasSize(2);
        assertThat(gap(requests.get(0), requests.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aWaitLongerThanMaxWaitIsNotTakenAndLaterPhotosToTheChatAreHeldWithoutACall() {
        telegram.stubFor(stub("41004").willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                .withBody(tooManyRequests(3600))));
        Instant before = Instant.now();

        JsonNode record = inbox.awaitFailed(drop("41004"));

        assertThat(record.path("code").asText()).isEqualTo("RATE_LIMITED");
        JsonNode outcome = record.path("recipients").get(0);
        assertThat(outcome.path("attempts").asInt()).isEqualTo(1);
        Instant retryAt = Instant.parse(outcome.path("retryAt").asText());
        assertThat(retryAt).isBetween(before.plusSeconds(3590), Instant.now().plusSeconds(3600));

        // the chat is held: the next photo fails at once, with the same time, and Telegram is not called again
        inbox.drop("telegram/41004/next.jpg", TestImages.jpeg(30, 20));
        JsonNode next = inbox.awaitFailed("telegram/41004/next.jpg");
        assertThat(next.path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(next.path("recipients").get(0).path("attempts").asInt()).isZero();
        assertThat(Instant.parse(next.path("recipients").get(0).path("retryAt").asText())).isEqualTo(retryAt);
        assertThat(Received.telegram(telegram, "41004")).hasSize(1);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        telegram.stubFor(stub("41005").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: wrong file identifier\"}")));

        JsonNode record = inbox.awaitFailed(drop("41005"));

        assertThat(record.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(record.path("recipients").get(0).path("attempts").asInt()).isEqualTo(1);
        assertThat(Received.telegram(telegram, "41005")).hasSize(1);
    }

    @Test
    void aConnectionResetIsRetriedAndDeliveredOnce() {
        answerInTurn("41006", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), okJson(ok(10)));

        JsonNode receipt = inbox.awaitSent(drop("41006"));

        assertThat(Received.telegram(telegram, "41006")).hasSize(2);
        assertThat(receipt.path("recipients").get(0).path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void aPlatformThatNeverAnswersEndsAsNetworkErrorWhileOtherPhotosAreDelivered() {
        telegram.stubFor(stub("41007").willReturn(okJson(ok(11)).withFixedDelay(5_000)));
        String hanging = drop("41007");
        String meanwhile = drop("41008");

        // three tries of 2 s each (relay.http.timeout in tests): the other photo is long delivered by then
        JsonNode delivered = inbox.awaitSent(meanwhile);
        assertThat(inbox.failed(hanging)).doesNotExist();
        JsonNode record = inbox.awaitFailed(hanging);

        assertThat(delivered.path("status").asText()).isEqualTo("sent");
        assertThat(record.path("code").asText()).isEqualTo("NETWORK_ERROR");
        assertThat(record.path("recipients").get(0).path("attempts").asInt()).isEqualTo(3);
        assertThat(Received.telegram(telegram, "41007")).hasSize(3);
    }

    @Test
    void aTransientFailureThatLastsFailsAfterMaxAttemptsWithTheLastError() {
        telegram.stubFor(stub("41009").willReturn(aResponse().withStatus(500).withBody("Internal Server Error")));

        JsonNode record = inbox.awaitFailed(drop("41009"));

        JsonNode outcome = record.path("recipients").get(0);
        assertThat(outcome.path("code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(outcome.path("httpStatus").asInt()).isEqualTo(500);
        assertThat(outcome.path("platformError").asText()).contains("Internal Server Error");
        assertThat(outcome.path("attempts").asInt()).isEqualTo(3);
        assertThat(Received.telegram(telegram, "41009")).hasSize(3);
    }

    private String drop(String chat) {
        String file = "telegram/" + chat + "/photo.jpg";
        inbox.drop(file, TestImages.jpeg(40, 30));
        return file;
    }

    private MappingBuilder stub(String chat) {
        return post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo(chat)));
    }

    /** The chat's requests get these answers in turn (the last one repeats). */
    private void answerInTurn(String chat, ResponseDefinitionBuilder... answers) {
        String scenario = "chat " + chat;
        for (int i = 0; i < answers.length; i++) {
            ScenarioMappingBuilder stub = stub(chat).inScenario(scenario).whenScenarioStateIs(i == 0 ? STARTED : "answer " + i);
            if (i < answers.length - 1) {
                stub.willSetStateTo("answer " + (i + 1));
            }
            telegram.stubFor(stub.willReturn(answers[i]));
        }
    }

    private static String ok(int messageId) {
        return "{\"ok\":true,\"result\":{\"message_id\":" + messageId + "}}";
    }

    private static String tooManyRequests(int seconds) {
        return "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after " + seconds
                + "\",\"parameters\":{\"retry_after\":" + seconds + "}}";
    }

    private static Duration gap(LoggedRequest first, LoggedRequest second) {
        return Duration.between(first.getLoggedDate().toInstant(), second.getLoggedDate().toInstant());
    }
}
