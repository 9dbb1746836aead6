package dev.photorelay.platforms;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every platform answer in the error table ends as its code in .failed/: after one request if the code is permanent,
 * after every allowed attempt if it is transient.
 */
@QuarkusTest
class PlatformErrorsTest {

    @InjectTelegram
    WireMockServer telegram;

    @InjectZapi
    WireMockServer zapi;

    @InjectSonoran
    WireMockServer sonoran;

    @InjectInbox
    Inbox inbox;

    record Case(String target, String recipient, ResponseDefinitionBuilder answer, String code, String platformError) {
        @Override
        public String toString() {
            return target + " " + recipient + " -> " + code;
        }
    }

    static Stream<Case> answers() {
        return Stream.of(
                new Case("telegram", "90001", telegramError(401, "Unauthorized"), "INVALID_CREDENTIALS", "Unauthorized"),
                new Case("telegram", "90002", telegramError(403, "Forbidden: bot was blocked by the user"), "FORBIDDEN",
                        "bot was blocked"),
                new Case("telegram", "90003", telegramError(404, "Not Found"), "RECIPIENT_NOT_FOUND", "Not Found"),
                new Case("telegram", "90004", telegramError(400, "Bad Request: chat not found"), "RECIPIENT_NOT_FOUND",
                        "chat not found"),
                new Case("telegram", "90005", telegramError(400, "Bad Request: IMAGE_PROCESS_FAILED"), "INVALID_REQUEST",
                        "IMAGE_PROCESS_FAILED"),
                new Case("telegram", "90006", aResponse().withStatus(413).withBody("Request Entity Too Large"),
                        "PAYLOAD_TOO_LARGE", "Too Large"),
                new Case("telegram", "90007", aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\","
                                + "\"parameters\":{\"retry_after\":1}}"),
                        "RATE_LIMITED", "retry after 1"),
                new Case("telegram", "90008", aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                        .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>"), "UPSTREAM_UNAVAILABLE", "502 Bad Gateway"),
                new Case("telegram", "90009", aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: wrong type of the web page content\"}"),
                        "INVALID_REQUEST", "wrong type"),
                new Case("telegram", "90010", aResponse().withStatus(200).withBody("<html>maintenance</html>"),
                        "UPSTREAM_UNAVAILABLE", "maintenance"),
                new Case("telegram", "90011", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), "NETWORK_ERROR", null),
                new Case("telegram", "90012", telegramError(200, "ok").withFixedDelay(4000), "NETWORK_ERROR", null),
                new Case("zapi", "5511900000001", aResponse().withStatus(401).withBody("{\"error\":\"Unauthorized\"}"),
                        "INVALID_CREDENTIALS", "Unauthorized"),
                new Case("zapi", "5511900000002", aResponse().withStatus(400)
                        .withBody("{\"error\":\"your client-token is not configured\"}"), "INVALID_CREDENTIALS", "client-token"),
                new Case("zapi", "5511900000003", aResponse().withStatus(200)
                        .withBody("{\"error\":\"Client-Token F0000 not allowed\"}"), "INVALID_CREDENTIALS", "not allowed"),
                new Case("zapi", "5511900000004", aResponse().withStatus(405).withBody(""), "INVALID_REQUEST", null),
                new Case("zapi", "5511900000005", aResponse().withStatus(415).withBody("Unsupported Media Type"),
                        "INVALID_REQUEST", "Unsupported Media Type"),
                new Case("zapi", "5511900000006", aResponse().withStatus(429).withBody("{\"error\":\"rate limit\"}"),
                        "RATE_LIMITED", "rate limit"),
                new Case("zapi", "5511900000007", aResponse().withStatus(503).withBody(""), "UPSTREAM_UNAVAILABLE", null),
                new Case("zapi", "5511900000008", aResponse().withFault(Fault.EMPTY_RESPONSE), "NETWORK_ERROR", null),
                new Case("sonoran", "STEAM:90001", sonoranText(400, "INVALID API KEY"), "INVALID_CREDENTIALS", "INVALID API KEY"),
                new Case("sonoran", "STEAM:90002", sonoranText(400, "INVALID COMMUNITY ID"), "INVALID_CREDENTIALS",
                        "INVALID COMMUNITY ID"),
                new Case("sonoran", "STEAM:90003", sonoranText(400, "API IS NOT ENABLED FOR THIS COMMUNITY"), "FORBIDDEN",
                        "NOT ENABLED"),
                new Case("sonoran", "STEAM:90004", sonoranText(400, "INVALID REQUEST TYPE"), "INVALID_REQUEST",
                        "INVALID REQUEST TYPE"),
                // with a Retry-After: without one, Sonoran's hour-long block would hold every other test's Sonoran photo
                new Case("sonoran", "STEAM:90005", sonoranText(429, "Too Many Requests").withHeader("Retry-After", "1"),
                        "RATE_LIMITED", "Too Many"),
                new Case("sonoran", "STEAM:90006", sonoranText(500, "Internal Server Error"), "UPSTREAM_UNAVAILABLE",
                        "Internal Server Error"));
    }

    @ParameterizedTest
    @MethodSource("answers")
    void platformAnswerEndsAsItsErrorCode(Case c) {
        server(c.target()).stubFor(requestFor(c.target(), c.recipient()).atPriority(1).willReturn(c.answer()));
        String file = c.target() + "/" + c.recipient() + "/photo.jpg";

        inbox.drop(file, TestImages.jpeg(64, 48));
        JsonNode record = inbox.awaitFailed(file);

        assertThat(record.path("code").asText()).isEqualTo(c.code());
        JsonNode outcome = record.path("recipients").get(0);
        assertThat(outcome.path("status").asText()).isEqualTo("failed");
        assertThat(outcome.path("code").asText()).isEqualTo(c.code());
        if (c.platformError() != null) {
            assertThat(outcome.path("platformError").asText()).contains(c.platformError());
        }
        assertThat(inbox.failed(file)).exists();
        // a permanent failure is tried once; a transient one as often as the test relay allows (3), then given up
        int attempts = ErrorCode.valueOf(c.code()).isTransient() ? 3 : 1;
        assertThat(outcome.path("attempts").asInt()).isEqualTo(attempts);
        assertThat(switch (c.target()) {
            case "telegram" -> Received.telegram(telegram, c.recipient());
            case "zapi" -> Received.zapi(zapi, c.recipient());
            default -> Received.sonoran(sonoran, c.recipient());
        }).hasSize(attempts);
    }

    private WireMockServer server(String target) {
        return switch (target) {
            case "telegram" -> telegram;
            case "zapi" -> zapi;
            default -> sonoran;
        };
    }

    private static MappingBuilder requestFor(String target, String recipient) {
        return switch (target) {
            case "telegram" -> post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO))
                    .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo(recipient)));
            case "zapi" -> post(urlEqualTo(Received.ZAPI_SEND_IMAGE)).withRequestBody(matchingJsonPath("$.phone", equalTo(recipient)));
            default -> post(urlEqualTo(Received.SONORAN_SEND_PHOTO))
                    .withRequestBody(matchingJsonPath("$.data[0].apiId", equalTo(recipient)));
        };
    }

    private static ResponseDefinitionBuilder telegramError(int status, String description) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":false,\"error_code\":" + status + ",\"description\":\"" + description + "\"}");
    }

    private static ResponseDefinitionBuilder sonoranText(int status, String text) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/plain").withBody(text);
    }
}
