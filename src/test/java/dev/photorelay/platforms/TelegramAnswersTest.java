package dev.photorelay.platforms;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.LogCapture;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;

/** Captions counted as Telegram counts them, and the refusals that say how to get through. */
@QuarkusTest
class TelegramAnswersTest {

    private static final String CANT_PARSE = "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: can't parse "
            + "entities: Can't find end tag corresponding to start tag b\"}";

    @InjectTelegram
    WireMockServer telegram;

    @InjectInbox
    Inbox inbox;

    @Test
    void anHtmlCaptionIsCountedAfterItsTagsAndSent() {
        String caption = "<b>" + "A".repeat(1022) + "</b>";
        inbox.dropSidecar("telegram/61101/bold.jpg", "{\"caption\": \"" + caption + "\", \"parseMode\": \"HTML\"}");
        inbox.drop("telegram/61101/bold.jpg", TestImages.jpeg(20, 20));

        inbox.awaitSent("telegram/61101/bold.jpg");

        LoggedRequest request = Received.only(Received.telegram(telegram, "61101"));
        assertThat(request.getPart("caption").getBody().asString()).isEqualTo(caption);
        assertThat(request.getPart("parse_mode").getBody().asString()).isEqualTo("HTML");
    }

    @Test
    void aCaptionTelegramCannotParseIsSentOnceMoreAsPlainText() {
        telegram.stubFor(withChat("61102").withMultipartRequestBody(aMultipart().withName("parse_mode"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(CANT_PARSE)));
        inbox.dropSidecar("telegram/61102/note.jpg", "{\"caption\": \"<b>unclosed\", \"parseMode\": \"HTML\"}");
        inbox.drop("telegram/61102/note.jpg", TestImages.jpeg(20, 20));

        JsonNode receipt = inbox.awaitSent("telegram/61102/note.jpg");

        List<LoggedRequest> calls = Received.telegram(telegram, "61102");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).getParts()).noneMatch(part -> part.getName().equals("parse_mode"));
        assertThat(calls.get(1).getPart("caption").getBody().asString()).isEqualTo("<b>unclosed");
        JsonNode outcome = receipt.path("recipients").get(0);
        assertThat(outcome.path("captionAsPlainText").asBoolean()).isTrue();
        assertThat(outcome.path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void aCaptionRefusedAgainAsPlainTextIsNotSentAThirdTime() {
        telegram.stubFor(withChat("61103")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(CANT_PARSE)));
        inbox.dropSidecar("telegram/61103/note.jpg", "{\"caption\": \"*bold\", \"parseMode\": \"MarkdownV2\"}");
        inbox.drop("telegram/61103/note.jpg", TestImages.jpeg(20, 20));

        JsonNode record = inbox.awaitFailed("telegram/61103/note.jpg");

        assertThat(Received.telegram(telegram, "61103")).hasSize(2);
        assertThat(record.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(record.path("recipients").get(0).path("captionAsPlainText").asBoolean()).isTrue();
    }

    @Test
    void aGroupThatBecameASupergroupGetsThePhotoUnderItsNewIdAndSoDoLaterPhotos() {
        telegram.stubFor(withChat("-61104").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was upgraded to a "
                        + "supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":-1001557912345}}")));
        List<String> logged;
        JsonNode first;
        try (LogCapture capture = LogCapture.start()) {
            logged = capture.lines();
            inbox.drop("telegram/-61104/first.jpg", TestImages.jpeg(20, 20));
            first = inbox.awaitSent("telegram/-61104/first.jpg");
        }
        inbox.drop("telegram/-61104/second.jpg", TestImages.jpeg(30, 30));
        JsonNode second = inbox.awaitSent("telegram/-61104/second.jpg");

        JsonNode outcome = first.path("recipients").get(0);
        assertThat(outcome.path("recipient").asText()).isEqualTo("-61104");
        assertThat(outcome.path("migratedTo").asText()).isEqualTo("-1001557912345");
        assertThat(second.path("recipients").get(0).path("migratedTo").asText()).isEqualTo("-1001557912345");
        assertThat(Received.telegram(telegram, "-61104")).hasSize(1);
        assertThat(Received.telegram(telegram, "-1001557912345")).hasSize(2);
        assertThat(logged).anyMatch(line -> line.contains("-1001557912345")
                && line.contains("telegram/-1001557912345"));
    }

    @Test
    void chatsNamingChatAfterChatAreFollowedOnceNotForEver() {
        telegram.stubFor(withChat("-61105").willReturn(migrate("-1001111111111")));
        telegram.stubFor(withChat("-1001111111111").willReturn(migrate("-1002222222222")));
        // an answer naming the chat itself, or no supergroup at all, is not followed
        telegram.stubFor(withChat("-61106").willReturn(migrate("-61106")));
        telegram.stubFor(withChat("-61107").willReturn(migrate("999999999999999999999999999999")));
        for (String chat : new String[] { "-61105", "-61106", "-61107" }) {
            inbox.drop("telegram/" + chat + "/loop.jpg", TestImages.jpeg(20, 20));
        }

        JsonNode followedOnce = inbox.awaitFailed("telegram/-61105/loop.jpg");
        JsonNode same = inbox.awaitFailed("telegram/-61106/loop.jpg");
        JsonNode absurd = inbox.awaitFailed("telegram/-61107/loop.jpg");

        assertThat(Received.telegram(telegram, "-61105")).hasSize(1);
        assertThat(Received.telegram(telegram, "-1001111111111")).hasSize(1);
        assertThat(Received.telegram(telegram, "-1002222222222")).isEmpty();
        assertThat(followedOnce.path("recipients").get(0).path("migratedTo").asText()).isEqualTo("-1001111111111");
        for (JsonNode record : new JsonNode[] { same, absurd }) {
            assertThat(record.path("code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(record.path("recipients").get(0).has("migratedTo")).isFalse();
            assertThat(record.path("recipients").get(0).path("attempts").asInt()).isOne();
        }
    }

    @Test
    void aPlainCaptionIsNotSentAgainWhenTelegramSaysItCannotParseEntities() {
        telegram.stubFor(withChat("61108")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(CANT_PARSE)));
        inbox.dropSidecar("telegram/61108/plain.jpg", "{\"caption\": \"hello\"}");
        inbox.drop("telegram/61108/plain.jpg", TestImages.jpeg(20, 20));

        JsonNode record = inbox.awaitFailed("telegram/61108/plain.jpg");

        assertThat(Received.telegram(telegram, "61108")).hasSize(1);
        assertThat(record.path("recipients").get(0).has("captionAsPlainText")).isFalse();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder migrate(String to) {
        return aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was upgraded "
                        + "to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":" + to + "}}");
    }

    private static MappingBuilder withChat(String chat) {
        return post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo(chat)));
    }
}
