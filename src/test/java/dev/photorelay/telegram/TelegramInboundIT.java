package dev.photorelay.telegram;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.Received;
import dev.photorelay.testing.RelayProcess;
import dev.photorelay.testing.TelegramBot;
import dev.photorelay.testing.TelegramWireMock;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock;

/**
 * Photos sent to the bot, against the packaged jar run as its own process: WireMock plays Telegram's side of the bot
 * ({@code getUpdates}, {@code getFile}, the file download, {@code sendMessage}) and the destination's platforms
 * (Telegram's {@code sendPhoto} to another chat, Z-API). Telegram keeps giving an update until a {@code getUpdates}
 * carries an {@code offset} past it, as the Bot API does.
 */
class TelegramInboundIT {

    private static final String TOKEN = TelegramWireMock.TOKEN;
    private static final String GET_UPDATES = TelegramBot.GET_UPDATES;
    private static final String GET_FILE = TelegramBot.GET_FILE;
    private static final String SEND_MESSAGE = "/bot" + TOKEN + "/sendMessage";
    private static final long FIELD_CHAT = TelegramBot.FIELD_CHAT;
    private static final String DISPATCH_CHAT = "5550001";
    private static final String DISPATCH_PHONE = "5511999990000";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private Path inbox;
    private WireMockServer telegram;
    private WireMockServer zapi;
    private final List<RelayProcess> relays = new ArrayList<>();
    private TelegramBot bot;

    @BeforeEach
    void startPlatforms() {
        inbox = folder.resolve("inbox");
        telegram = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().usingFilesUnderClasspath("wiremock"));
        zapi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().usingFilesUnderClasspath("wiremock"));
        telegram.start();
        zapi.start();
        bot = new TelegramBot(telegram);
        telegram.stubFor(post(urlEqualTo(SEND_MESSAGE)).willReturn(okJson("{\"ok\":true,\"result\":{\"message_id\":9}}")));
    }

    @AfterEach
    void stopEverything() {
        relays.forEach(RelayProcess::close);
        telegram.stop();
        zapi.stop();
    }

    @Test
    void aPhotoFromAnAllowedChatReachesEveryPlatformOfTheDestinationInItsLargestSizeWithItsOwnCaption()
            throws IOException {
        byte[] largest = TestImages.jpeg(1280, 960);
        bot.offer(bot.photo(7, FIELD_CHAT, "field_alice", "Smoke over block 5", TestImages.jpeg(90, 68),
                TestImages.jpeg(320, 240), largest));
        RelayProcess relay = start("relay", Map.of());

        LoggedRequest sent = awaitOne(() -> Received.telegram(telegram, DISPATCH_CHAT), relay);
        assertThat(sent.getPart("photo").getBody().asBytes()).as("the largest size's bytes").isEqualTo(largest);
        assertThat(sent.getPart("caption").getBody().asString()).isEqualTo("Smoke over block 5");
        JsonNode whatsapp = JSON.readTree(awaitOne(() -> Received.zapi(zapi, DISPATCH_PHONE), relay).getBodyAsString());
        assertThat(Base64.getDecoder().decode(whatsapp.path("image").asText().replaceFirst("^data:[^,]*,", "")))
                .isEqualTo(largest);
        assertThat(whatsapp.path("caption").asText()).isEqualTo("Smoke over block 5");
        assertThat(telegram.findAll(postRequestedFor(urlEqualTo(GET_FILE)))).as("getFile calls: the largest size only")
                .singleElement().satisfies(call -> assertThat(call.getBodyAsString()).contains("file_id=file-7-2"));

        JsonNode receipt = awaitRecord(".sent/dispatch/telegram-4240001-7.jpg.receipt.json", relay);
        assertThat(receipt.path("source").asText()).isEqualTo("telegram");
        assertThat(receipt.path("telegram").path("chatId").asLong()).isEqualTo(FIELD_CHAT);
        assertThat(receipt.path("telegram").path("messageId").asLong()).isEqualTo(7);
        assertThat(receipt.path("telegram").path("from").asText()).isEqualTo("@field_alice");
        assertThat(receipt.path("recipients").findValuesAsText("status")).containsExactly("sent", "sent");
    }

    @Test
    void theCaptionTemplateNamesTheSenderAndTheChatAndAnAtUsernameAllowsTheSenderInAGroup() {
        String longest = "x".repeat(1024);
        // a placeholder in the sender's own caption stays as written
        bot.offer(bot.photo(8, -1001234, "field_alice", "Smoke at {chat}", TestImages.jpeg(320, 240)),
                bot.photo(10, -1001234, "field_alice", longest, TestImages.jpeg(320, 240)));
        RelayProcess relay = start("relay", Map.of("relay.telegram.inbound.allowed-chats", "@Field_Alice",
                "relay.telegram.inbound.caption", "{caption} (from {from} in {chat})"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(Received.telegram(telegram, DISPATCH_CHAT)).as(relay.logTail(40))
                .hasSize(2));
        assertThat(Received.telegram(telegram, DISPATCH_CHAT)).extracting(sent -> sent.getPart("caption").getBody().asString())
                .containsExactlyInAnyOrder("Smoke at {chat} (from @field_alice in Field team)",
                        // cut to Telegram's 1024 characters rather than refused
                        "x".repeat(1023) + "\u2026");
    }

    @Test
    void aDownloadThatStallsIsCutAtItsDeadlineAndTriedAgainAndThePhotoAfterItGoesOn() {
        byte[] stalled = TestImages.jpeg(320, 240);
        byte[] next = TestImages.jpeg(321, 240);
        bot.offer(bot.photo(30, FIELD_CHAT, "field_alice", "first", stalled),
                bot.photo(31, FIELD_CHAT, "field_alice", "second", next));
        // its first download sends its headers with its first chunk after 1 s, then trickles for a minute: past the
        // request's timeout (which covers the headers only), as a connection stalled after its headers
        String path = TelegramBot.FILES + "photos/file_30_0.jpg";
        telegram.stubFor(get(urlEqualTo(path)).atPriority(1).inScenario("stall").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("whole").willReturn(aResponse().withBody(stalled).withChunkedDribbleDelay(60, 60_000)));
        telegram.stubFor(get(urlEqualTo(path)).atPriority(1).inScenario("stall").whenScenarioStateIs("whole")
                .willReturn(aResponse().withBody(stalled)));
        RelayProcess relay = start("relay", Map.of("relay.http.timeout", "3s"));

        await().atMost(WAIT.plusSeconds(15)).untilAsserted(() -> assertThat(Received.telegram(telegram, DISPATCH_CHAT))
                .as(relay.logTail(40)).hasSize(2));
        assertThat(Received.telegram(telegram, DISPATCH_CHAT)).extracting(sent -> sent.getPart("caption").getBody()
                .asString()).containsExactly("first", "second");
        assertThat(relay.log()).contains("the download took longer than");
    }

    @Test
    void aChatNotAllowedIsIgnoredWithOneLogLinePerChatAndNothingOfItsContent() {
        bot.offer(bot.photo(1, 666, "stranger", "SECRET-CAPTION-ONE", TestImages.jpeg(64, 48)),
                bot.photo(2, 666, "stranger", "SECRET-CAPTION-TWO", TestImages.jpeg(64, 48)),
                bot.photo(9, FIELD_CHAT, "field_alice", "allowed", TestImages.jpeg(64, 48)));
        RelayProcess relay = start("relay", Map.of());

        awaitOne(() -> Received.telegram(telegram, DISPATCH_CHAT), relay);
        assertThat(telegram.findAll(postRequestedFor(urlEqualTo(GET_FILE))))
                .noneMatch(call -> call.getBodyAsString().contains("file-1-") || call.getBodyAsString().contains("file-2-"));
        assertThat(relay.log().lines().filter(line -> line.contains("Telegram chat 666 "))).as(relay.log())
                .singleElement().asString().contains("allowed-chats");
        assertThat(relay.log()).doesNotContain("SECRET-CAPTION").doesNotContain("stranger");
        assertThat(Received.telegram(telegram, DISPATCH_CHAT)).hasSize(1);
    }

    @Test
    void anImageSentAsADocumentIsRelayedAndAnyOtherDocumentIsIgnoredWithALogLine() throws IOException {
        byte[] png = TestImages.png(200, 100);
        bot.offer(bot.document(3, "report.pdf", "application/pdf", "%PDF-1.4 not a photo".getBytes(StandardCharsets.UTF_8)),
                bot.document(4, "plan.png", "image/png", png));
        RelayProcess relay = start("relay", Map.of());

        LoggedRequest sent = awaitOne(() -> Received.telegram(telegram, DISPATCH_CHAT), relay);
        assertThat(sent.getPart("photo").getBody().asBytes()).isEqualTo(png);
        assertThat(relay.log()).contains("Telegram message 4240001-3 from chat 4240001 ignored: a document of type "
                + "application/pdf, not an image");
        assertThat(telegram.findAll(postRequestedFor(urlEqualTo(GET_FILE))))
                .noneMatch(call -> call.getBodyAsString().contains("file-3-"));
        awaitRecord(".sent/dispatch/telegram-4240001-4.png.receipt.json", relay);
    }

    @Test
    void aKillAfterThePhotoIsWrittenButBeforeItsAcknowledgementGivesExactlyOneDelivery() throws IOException {
        bot.offer(bot.photo(11, FIELD_CHAT, "field_alice", "once", TestImages.jpeg(320, 240)));
        // the photo stays in the inbox (not yet finished for 60 s), and the next getUpdates is 60 s away
        RelayProcess first = start("relay-1", Map.of("relay.telegram.inbound.poll-delay", "60s",
                "relay.inbox.stable-for", "60s"));
        await().atMost(WAIT).until(() -> Files.exists(inbox.resolve("dispatch/telegram-4240001-11.jpg")));
        assertThat(bot.acknowledgements(1000)).as("getUpdates past the update before the kill").isEmpty();
        first.kill();

        RelayProcess second = start("relay-2", Map.of());
        await().atMost(WAIT).until(() -> !bot.acknowledgements(1000).isEmpty());
        awaitRecord(".sent/dispatch/telegram-4240001-11.jpg.receipt.json", second);
        assertThat(Received.telegram(telegram, DISPATCH_CHAT)).hasSize(1);
        assertThat(Received.zapi(zapi, DISPATCH_PHONE)).hasSize(1);
        assertThat(second.log()).contains("Telegram message 4240001-11 was given again");
    }

    @Test
    void aKillAfterDeliveryButBeforeAcknowledgementGivesNoSecondDelivery() throws IOException {
        bot.offer(bot.photo(12, FIELD_CHAT, "field_alice", "once", TestImages.jpeg(320, 240)));
        RelayProcess first = start("relay-1", Map.of("relay.telegram.inbound.poll-delay", "60s"));
        awaitRecord(".sent/dispatch/telegram-4240001-12.jpg.receipt.json", first);
        assertThat(bot.acknowledgements(1000)).as("getUpdates past the update before the kill").isEmpty();
        first.kill();

        RelayProcess second = start("relay-2", Map.of());
        await().atMost(WAIT).until(() -> !bot.acknowledgements(1000).isEmpty());
        assertThat(second.log()).contains("Telegram message 4240001-12 was given again");
        assertThat(Received.telegram(telegram, DISPATCH_CHAT)).hasSize(1);
        assertThat(Received.zapi(zapi, DISPATCH_PHONE)).hasSize(1);
    }

    @Test
    void theSameUpdateGivenInTwoPollsIsRelayedOnce() throws IOException {
        // Telegram gives it again although the second poll acknowledged it (a poll racing another, a replay)
        ObjectNode update = bot.photo(13, FIELD_CHAT, "field_alice", "twice given", TestImages.jpeg(320, 240));
        bot.offer(update);
        telegram.stubFor(get(urlPathEqualTo(GET_UPDATES)).atPriority(1).withQueryParam("offset", equalTo("1001"))
                .willReturn(okJson(TelegramBot.result(List.of(update)))));
        RelayProcess relay = start("relay", Map.of());

        await().atMost(WAIT).until(() -> bot.acknowledgements(1000).size() >= 3);
        awaitRecord(".sent/dispatch/telegram-4240001-13.jpg.receipt.json", relay);
        assertThat(Received.telegram(telegram, DISPATCH_CHAT)).hasSize(1);
        assertThat(relay.log()).contains("Telegram message 4240001-13 was given again");
    }

    @Test
    void withReplyOnTheBotAnswersDeliveredARefusedChatAndAPhotoOverTwentyMegabytesButNotText() {
        bot.offer(bot.photo(14, FIELD_CHAT, "field_alice", null, TestImages.jpeg(320, 240)),
                bot.photo(15, 777, null, null, TestImages.jpeg(64, 48)),
                bot.photo(16, FIELD_CHAT, "field_alice", null, TestImages.jpeg(64, 48)),
                // text alone: passed over without a word
                bot.update(TelegramBot.message(17, FIELD_CHAT, "field_alice", null).put("text", "hello bot")));
        // Telegram says how large a file is before it is downloaded: a bot may download 20 MB at most
        telegram.stubFor(post(urlEqualTo(GET_FILE)).atPriority(1).withRequestBody(containing("file_id=file-16-0"))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"file_id\":\"file-16-0\",\"file_unique_id\":\"u16\","
                        + "\"file_size\":" + (20L * 1024 * 1024 + 1) + ",\"file_path\":\"photos/file_16.jpg\"}}")));
        RelayProcess relay = start("relay", Map.of("relay.telegram.inbound.reply", "true"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(answers()).as(relay.logTail(40)).containsExactlyInAnyOrder(
                "777: This bot does not take photos from this chat.",
                FIELD_CHAT + ": Not relayed: PAYLOAD_TOO_LARGE",
                FIELD_CHAT + ": Delivered."));
        assertThat(telegram.findAll(getRequestedFor(urlEqualTo(TelegramBot.FILES + "photos/file_16.jpg")))).isEmpty();
        assertThat(relay.log().lines().filter(line -> line.contains("4240001-16"))).singleElement().asString()
                .contains("PAYLOAD_TOO_LARGE");
        assertThat(relay.log()).doesNotContain("4240001-17");
    }

    @Test
    void noTokenInAnyLogLineOrRecordWhenTelegramRefusesFailsOrIsAwayAndEachFailureIsLoggedOnce() throws IOException {
        String echo = "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized: bot" + TOKEN + " is not valid\"}";
        List<StubMapping> failing = new ArrayList<>();
        failing.add(telegram.stubFor(get(urlPathEqualTo(GET_UPDATES)).atPriority(1)
                .willReturn(aResponse().withStatus(401).withBody(echo))));
        // a poll every 2 s while failing
        RelayProcess relay = start("relay", Map.of("relay.telegram.inbound.poll-delay", "100ms"));
        await().atMost(WAIT).until(() -> telegram.findAll(getRequestedFor(urlPathEqualTo(GET_UPDATES))).size() >= 3);
        assertThat(relay.log().lines().filter(line -> line.contains(": 401 "))).as("the same failure, logged once")
                .hasSize(1);
        failing.add(telegram.stubFor(get(urlPathEqualTo(GET_UPDATES)).atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody("Internal error at /bot" + TOKEN + "/getUpdates"))));
        awaitLog(relay, ": 500 ");
        failing.add(telegram.stubFor(get(urlPathEqualTo(GET_UPDATES)).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))));
        awaitLog(relay, "IOException");

        // updates again, the file of one refused for good, of the other failing for now (then given)
        bot.offer(bot.photo(21, FIELD_CHAT, "field_alice", null, TestImages.jpeg(64, 48)),
                bot.photo(22, FIELD_CHAT, "field_alice", null, TestImages.jpeg(64, 48)));
        telegram.stubFor(post(urlEqualTo(GET_FILE)).atPriority(1).withRequestBody(containing("file_id=file-21-0"))
                .willReturn(aResponse().withStatus(400).withBody(echo.replace("401", "400"))));
        StubMapping notNow = telegram.stubFor(post(urlEqualTo(GET_FILE)).atPriority(1)
                .withRequestBody(containing("file_id=file-22-0"))
                .willReturn(aResponse().withStatus(500).withBody("{\"ok\":false,\"description\":\"" + TOKEN + "\"}")));
        failing.forEach(telegram::removeStub);
        awaitLog(relay, "4240001-21 from chat 4240001 not relayed");
        awaitLog(relay, "4240001-22 from chat 4240001: getFile answered 500");
        telegram.removeStub(notNow);
        awaitRecord(".sent/dispatch/telegram-4240001-22.jpg.receipt.json", relay);
        // the poll that gave them is over once both are done with
        awaitLog(relay, "reading the bot's updates works again");

        telegram.stop(); // connection refused
        long lines = relay.log().lines().count();
        await().atMost(WAIT).until(() -> relay.log().lines().skip(lines).anyMatch(line -> line.contains("ConnectException")));

        String encoded = URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
        assertThat(relay.log()).doesNotContain(TOKEN).doesNotContain(encoded).doesNotContain("TEST-telegram-bot-SECRET");
        assertThat(recordsText()).doesNotContain(TOKEN).doesNotContain("TEST-telegram-bot-SECRET");
    }

    /** What the bot answered, as {@code <chat_id>: <text>}. */
    private List<String> answers() {
        return telegram.findAll(postRequestedFor(urlEqualTo(SEND_MESSAGE))).stream().map(call -> {
            Map<String, String> form = new HashMap<>();
            for (String pair : call.getBodyAsString().split("&")) {
                String[] parts = pair.split("=", 2);
                form.put(parts[0], java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
            return form.get("chat_id") + ": " + form.get("text");
        }).toList();
    }

    // --- the relay -----------------------------------------------------------------------------------------------

    private RelayProcess start(String name, Map<String, String> more) {
        Map<String, String> config = RelayProcess.settings(inbox, folder.resolve("custom-routes"), telegram.baseUrl());
        config.put("relay.inbox.stable-for", "100ms");
        config.put("relay.http.timeout", "5s");
        config.put("relay.zapi.base-uri", zapi.baseUrl());
        config.put("relay.zapi.instance", ZapiWireMock.INSTANCE);
        config.put("relay.zapi.token", ZapiWireMock.TOKEN);
        config.put("relay.zapi.client-token", ZapiWireMock.CLIENT_TOKEN);
        config.put("relay.destinations.dispatch", "telegram:" + DISPATCH_CHAT + ",zapi:" + DISPATCH_PHONE);
        config.put("relay.telegram.inbound.destination", "dispatch");
        config.put("relay.telegram.inbound.allowed-chats", Long.toString(FIELD_CHAT));
        // WireMock answers at once: no long polling, and the next poll soon
        config.put("relay.telegram.inbound.long-poll-seconds", "0");
        config.put("relay.telegram.inbound.poll-delay", "200ms");
        config.putAll(more);
        RelayProcess relay = RelayProcess.start(name, folder, config);
        relays.add(relay);
        return relay;
    }

    private static LoggedRequest awaitOne(java.util.concurrent.Callable<List<LoggedRequest>> requests, RelayProcess relay) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(requests.call()).as(relay.logTail(40)).isNotEmpty());
        try {
            return Received.only(requests.call());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode awaitRecord(String relative, RelayProcess relay) throws IOException {
        Path record = inbox.resolve(relative);
        await().atMost(WAIT).untilAsserted(() -> assertThat(record).as(relay.logTail(40)).exists());
        return JSON.readTree(record.toFile());
    }

    private static void awaitLog(RelayProcess relay, String text) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(relay.log()).as(relay.logTail(20)).contains(text));
    }

    private String recordsText() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(inbox)) {
            for (Path file : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".jpg")).toList()) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }
}
