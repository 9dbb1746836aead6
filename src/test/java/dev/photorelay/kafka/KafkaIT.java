package dev.photorelay.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.KafkaBroker;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.RelayProcess;
import dev.photorelay.testing.TelegramBot;
import dev.photorelay.testing.TelegramWireMock;
import dev.photorelay.testing.TestImages;

/**
 * Photo requests from Kafka and outcomes to it, against a real broker ({@code kafka/broker.sh}, its own process) and
 * the packaged relay (its own process), with WireMock playing Telegram.
 */
class KafkaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK = "{\"ok\":true,\"result\":{\"message_id\":7}}";
    private static final String API_TOKEN = "kafka-it-api-token";
    private static final AtomicInteger RUN = new AtomicInteger();
    /** Low, so that the relay pauses and resumes in every test that sends a few requests. */
    private static final int MAX_IN_FLIGHT = 3;
    /** A Kafka credential in the relay's settings (unused: the broker takes plain connections); never logged. */
    private static final String KAFKA_PASSWORD = "kafka-SECRET-password";

    @TempDir
    static Path brokerData;
    private static KafkaBroker broker;

    @TempDir
    Path folder;
    private WireMockServer telegram;
    private TelegramBot bot;
    private RelayProcess relay;
    private int port;
    private Map<String, String> settings;
    private String requests;
    private String outcomes;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(brokerData);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.stop();
        }
    }

    @BeforeEach
    void startRelay() {
        telegram = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        telegram.start();
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).willReturn(okJson(OK)));
        bot = new TelegramBot(telegram);
        // topics and group of this test alone
        int run = RUN.incrementAndGet();
        requests = "requests-" + run;
        outcomes = "outcomes-" + run;
        port = RelayProcess.freePort();
        settings = new HashMap<>();
        settings.put("quarkus.http.port", Integer.toString(port));
        settings.put("quarkus.http.host", "127.0.0.1");
        settings.put("relay.inbox.dir", folder.resolve("inbox").toString());
        settings.put("relay.media.public-base-url", "http://127.0.0.1:" + port);
        settings.put("relay.telegram.base-uri", telegram.baseUrl());
        settings.put("relay.telegram.token", TelegramWireMock.TOKEN);
        settings.put("relay.telegram.pacing.per-recipient", "none");
        settings.put("relay.api.token", API_TOKEN);
        settings.put("relay.destinations.team", "telegram:201,telegram:202");
        // photos sent to the bot from its field chat go on to telegram:401
        settings.put("relay.telegram.inbound.destination", "telegram:401");
        settings.put("relay.telegram.inbound.allowed-chats", Long.toString(TelegramBot.FIELD_CHAT));
        settings.put("relay.telegram.inbound.long-poll-seconds", "0");
        settings.put("relay.kafka.bootstrap-servers", broker.bootstrapServers());
        settings.put("relay.kafka.requests-topic", requests);
        settings.put("relay.kafka.outcomes-topic", outcomes);
        settings.put("relay.kafka.deliveries-topic", "deliveries-" + run);
        settings.put("relay.kafka.group-id", "group-" + run);
        settings.put("relay.kafka.max-in-flight", Integer.toString(MAX_IN_FLIGHT));
        // the pauses and resumes are logged at DEBUG
        settings.put("quarkus.log.category.\"dev.photorelay.kafka.KafkaRequestsListener\".level", "DEBUG");
        settings.put("camel.component.kafka.sasl-jaas-config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"relay\" password=\""
                        + KAFKA_PASSWORD + "\";");
        // a killed relay's partitions are free for the group after this (Kafka's default is 45 s)
        settings.put("camel.component.kafka.session-timeout-ms", "6000");
        relay = RelayProcess.start("relay", folder, settings);
        await().atMost(Duration.ofSeconds(60)).until(() -> relay.log().contains("Kafka: taking photo requests"));
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.close();
            assertThat(relay.log()).doesNotContain(KAFKA_PASSWORD);
        }
        telegram.stop();
    }

    @Test
    void jsonAndRawBytesRequestsAreDeliveredAndTheirOutcomesPublished() throws Exception {
        byte[] photo = TestImages.jpeg(40, 30);
        String dataUri = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(photo);
        send("telegram:101", json(Map.of("id", "order-1", "image", dataUri, "target", "telegram", "recipient", "101",
                "caption", "from the bus")), Map.of());
        send("telegram:102", json(Map.of("id", "order-2", "image", "https://example.org/cat.jpg", "target", "telegram",
                "recipient", "102")), Map.of());
        send("team", json(Map.of("id", "order-3", "image", dataUri, "destination", "team")), Map.of());
        send("telegram:103", photo, Map.of("PhotoTarget", "telegram", "PhotoRecipient", "103", "PhotoCaption",
                "raw bytes"));

        Map<String, JsonNode> published = awaitOutcomes(5);

        assertThat(published.get("order-1 telegram:101").at("/outcome/status").asText()).isEqualTo("sent");
        assertThat(published.get("order-1 telegram:101").at("/source").asText()).isEqualTo("kafka");
        assertThat(published).containsKeys("order-2 telegram:102", "order-3 telegram:201", "order-3 telegram:202",
                requests + "-0-3 telegram:103");
        assertThat(published.get(requests + "-0-3 telegram:103").at("/sha256").asText()).hasSize(64);
        assertThat(Received.telegram(telegram, "101").get(0).getBodyAsString()).contains("from the bus");
        assertThat(Received.telegram(telegram, "103").get(0).getBodyAsString()).contains("raw bytes");
        assertThat(Received.telegram(telegram, "102").get(0).getBodyAsString()).contains("https://example.org/cat.jpg");
        assertThat(Received.telegram(telegram, "201")).hasSize(1);
        assertThat(Received.telegram(telegram, "202")).hasSize(1);
    }

    @Test
    void aRecordThatCannotBeTakenGoesToTheDlqWithItsReasonAndTheNextOneIsDelivered() throws Exception {
        send("telegram:101", "neither JSON nor an image".getBytes(StandardCharsets.UTF_8),
                Map.of("PhotoTarget", "telegram", "PhotoRecipient", "101"));
        send("nowhere", json(Map.of("id", "lost", "image", "https://example.org/a.jpg", "destination", "nowhere")),
                Map.of());
        // no Photo* headers: still a value that is no image, not a request without a destination
        send("telegram:101", "[1,2,3]".getBytes(StandardCharsets.UTF_8), Map.of());
        // a field's name forging a log line of its own
        send("telegram:101", json(Map.of("id", "forged", "image", "https://example.org/a.jpg", "target", "telegram",
                "recipient", "101", "x\n2026-12-01 06:00:00,000 ERROR [fake] FORGED LINE", "1")), Map.of());
        send("telegram:101", json(Map.of("id", "after", "image", "https://example.org/b.jpg", "target", "telegram",
                "recipient", "101")), Map.of());

        Map<String, JsonNode> published = awaitOutcomes(5);
        assertThat(published.get("after telegram:101").at("/outcome/status").asText()).isEqualTo("sent");
        assertThat(published.get(requests + "-0-0 ").at("/outcome/code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(published.get("lost ").at("/outcome/code").asText()).isEqualTo("UNKNOWN_DESTINATION");
        assertThat(published.get(requests + "-0-2 ").at("/outcome/code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        // refused before its id was read: named by its offset
        assertThat(published.get(requests + "-0-3 ").at("/outcome/code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(relay.log().lines()).noneMatch(line -> line.startsWith("2026-12-01 06:00:00,000"));

        List<ConsumerRecord<String, byte[]>> dlq = broker.read(requests + ".dlq");
        assertThat(dlq).hasSize(4);
        assertThat(new String(dlq.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("neither JSON nor an image");
        assertThat(header(dlq.get(0), "PhotoRelayErrorCode")).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(header(dlq.get(0), "PhotoTarget")).isEqualTo("telegram");
        assertThat(header(dlq.get(1), "PhotoRelayReason")).contains("nowhere");
        assertThat(header(dlq.get(3), "PhotoRelayReason")).doesNotContain("\n");
        assertThat(dlq.get(1).key()).isEqualTo("nowhere");
    }

    @Test
    void photosFromTheFolderAndTheApiHaveTheirOutcomesPublishedToo() throws Exception {
        Path chat = Files.createDirectories(folder.resolve("inbox/telegram/301"));
        Path temp = Files.write(chat.resolve(".cat.jpg.part"), TestImages.jpeg(40, 30));
        Files.move(temp, chat.resolve("cat.jpg"));
        String body = new String(json(Map.of("image", "data:image/png;base64,"
                + Base64.getEncoder().encodeToString(TestImages.png(20, 20)), "target", "telegram", "recipient", "302")),
                StandardCharsets.UTF_8);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + port + "/api/photos"))
                .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

        Map<String, JsonNode> published = awaitOutcomes(2);
        JsonNode fromFolder = published.get("telegram/301/cat.jpg telegram:301");
        assertThat(fromFolder.at("/source").asText()).isEqualTo("inbox");
        assertThat(fromFolder.at("/file").asText()).isEqualTo("telegram/301/cat.jpg");
        assertThat(fromFolder.at("/sha256").asText()).hasSize(64);
        assertThat(published.values()).anySatisfy(outcome -> {
            assertThat(outcome.at("/source").asText()).isEqualTo("api");
            assertThat(outcome.at("/outcome/recipient").asText()).isEqualTo("302");
        });
    }

    @Test
    void photosSentToTheBotHaveTheirOutcomesPublishedWithTheirTelegramOrigin() {
        bot.offer(bot.photo(31, TelegramBot.FIELD_CHAT, "field_alice", "from the field", TestImages.jpeg(40, 30)));

        JsonNode outcome = awaitOutcomes(1).get("4240001-31 telegram:401");
        assertThat(outcome.at("/source").asText()).isEqualTo("telegram");
        assertThat(outcome.at("/file").asText()).isEqualTo("telegram/401/telegram-4240001-31.jpg");
        assertThat(outcome.at("/telegram/chatId").asLong()).isEqualTo(TelegramBot.FIELD_CHAT);
        assertThat(outcome.at("/telegram/messageId").asLong()).isEqualTo(31);
        assertThat(outcome.at("/outcome/status").asText()).isEqualTo("sent");
    }

    @Test
    void outcomesOfPhotosDeliveredWhileTheBrokerIsAwayArePublishedOnceItIsBack() throws Exception {
        broker.stop();
        try {
            Path chat = Files.createDirectories(folder.resolve("inbox/telegram/401"));
            for (int i = 0; i < 5; i++) {
                Path temp = Files.write(chat.resolve(".p" + i + ".part"), TestImages.jpeg(40 + i, 30));
                Files.move(temp, chat.resolve("p" + i + ".jpg"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Received.telegram(telegram, "401").size() == 5);
            // the broker stays away 10 s in all, the photos delivered meanwhile
            await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
        } finally {
            broker.startAgain();
        }

        Map<String, JsonNode> published = awaitOutcomes(5);
        assertThat(published.keySet()).containsExactlyInAnyOrder("telegram/401/p0.jpg telegram:401",
                "telegram/401/p1.jpg telegram:401", "telegram/401/p2.jpg telegram:401",
                "telegram/401/p3.jpg telegram:401", "telegram/401/p4.jpg telegram:401");
    }

    @Test
    void atItsMaxInFlightTheRelayPausesTakingRequestsAndResumesOnceTheyAreDelivered() throws Exception {
        sendToChats(601, 615, 300);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(calls()).hasSize(15));
        assertThat(relay.log()).contains("in flight: paused").contains("Kafka: resumed");
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.committed(settings.get("relay.kafka.group-id"),
                requests) == 15);
    }

    @Test
    void requestsReadButNotDeliveredWhenTheRelayIsKilledAreDeliveredByTheNextOne() throws Exception {
        // Telegram takes its time: every request is read long before the first is delivered
        sendToChats(501, 520, 1500);
        await().atMost(Duration.ofSeconds(30)).until(() -> !calls().isEmpty());
        relay.kill();
        int inFlight = calls().size();

        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).willReturn(okJson(OK)));
        relay = RelayProcess.start("relay-again", folder, settings);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int chat = 501; chat <= 520; chat++) {
                assertThat(Received.telegram(telegram, Integer.toString(chat))).as("chat %d; relay log:%n%s", chat,
                        relay.logTail(30)).isNotEmpty();
            }
        });
        assertThat(calls().size() - 20).as("sent twice: only calls in flight at the kill")
                .isLessThanOrEqualTo(inFlight);
    }

    @Test
    void anIdUsedAgainForAnotherPhotoIsAnotherRequestAndTheSameRequestReadAgainIsNotSentAgain() throws Exception {
        String first = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(TestImages.jpeg(40, 30));
        String second = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(TestImages.jpeg(41, 30));
        byte[] request = json(Map.of("id", "order-9", "image", first, "target", "telegram", "recipient", "701"));
        send("telegram:701", request, Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> Received.telegram(telegram, "701").size() == 1);

        send("telegram:701", json(Map.of("id", "order-9", "image", second, "target", "telegram", "recipient", "701")),
                Map.of());
        send("telegram:701", request, Map.of());

        await().atMost(Duration.ofSeconds(60)).until(() -> broker.read(outcomes).size() == 3);
        assertThat(Received.telegram(telegram, "701")).as("the second photo under the same id is sent; the first"
                + " request given again is not").hasSize(2);
        List<JsonNode> published = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : broker.read(outcomes)) {
            published.add(JSON.readTree(record.value()));
        }
        assertThat(published).filteredOn(outcome -> outcome.at("/outcome/alreadySent").asBoolean()).hasSize(1);
    }

    @Test
    void aRelayStartedWhileTheBrokerIsAwayIsNotReadyAndTakesRequestsOnceTheBrokerIsBack() throws Exception {
        relay.close();
        broker.stop();
        try {
            relay = RelayProcess.start("relay-no-broker", folder, settings);
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness().contains("waiting for the broker"));
            assertThat(readiness()).contains("\"status\": \"DOWN\"");
        } finally {
            broker.startAgain();
        }
        send("telegram:801", TestImages.jpeg(40, 30), Map.of("PhotoTarget", "telegram", "PhotoRecipient", "801"));

        await().atMost(Duration.ofSeconds(120)).until(() -> Received.telegram(telegram, "801").size() == 1);
        assertThat(readiness()).contains("taking requests").contains("\"status\": \"UP\"");
    }

    @Test
    void aRelayAskedToStopExitsPromptlyWithoutFloodingItsLog() {
        relay.stop();

        assertThat(relay.exitValue()).as("stopped by SIGTERM, not killed").isNotEqualTo(137);
        assertThat(relay.log()).doesNotContain("TopicPoller error").doesNotContain("Forcing shutdown");
    }

    private String readiness() throws Exception {
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        return ready.body();
    }

    /** A raw-bytes request to each of the chats {@code first} to {@code last}, Telegram answering in {@code delayMs}. */
    private void sendToChats(int first, int last, int delayMs) {
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).willReturn(okJson(OK).withFixedDelay(delayMs)));
        byte[] photo = TestImages.jpeg(40, 30);
        for (int chat = first; chat <= last; chat++) {
            send("telegram:" + chat, photo, Map.of("PhotoTarget", "telegram", "PhotoRecipient", Integer.toString(chat)));
        }
    }

    private List<LoggedRequest> calls() {
        return telegram.findAll(postRequestedFor(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)));
    }

    private void send(String key, byte[] value, Map<String, String> headers) {
        broker.send(requests, key, value, headers);
    }

    private static byte[] json(Map<String, String> fields) throws Exception {
        return JSON.writeValueAsBytes(fields);
    }

    /** The outcomes published, by request id and {@code target:recipient}, once there are {@code count}. */
    private Map<String, JsonNode> awaitOutcomes(int count) {
        Map<String, JsonNode> published = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            published.clear();
            for (ConsumerRecord<String, byte[]> record : broker.read(outcomes)) {
                JsonNode outcome = JSON.readTree(record.value());
                String recipient = outcome.at("/outcome/target").isMissingNode() ? ""
                        : outcome.at("/outcome/target").asText() + ":" + outcome.at("/outcome/recipient").asText();
                published.put(outcome.at("/requestId").asText() + " " + recipient, outcome);
                assertThat(record.key()).isEqualTo(recipient.isEmpty() ? record.key() : recipient);
            }
            assertThat(published).as("outcomes on %s; relay log:%n%s", outcomes, relay.logTail(40)).hasSize(count);
        });
        return published;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
