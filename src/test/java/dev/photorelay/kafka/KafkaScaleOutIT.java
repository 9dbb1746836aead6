package dev.photorelay.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.KafkaBroker;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.RelayProcess;
import dev.photorelay.testing.TelegramWireMock;
import dev.photorelay.testing.TestImages;

/**
 * Three relays in one consumer group, against a real broker and a Telegram that takes 50 ms per call: 300 requests
 * over 60 recipients, keyed by destination; one relay is killed with SIGKILL mid-batch. Every request is delivered,
 * each recipient's in the order sent, duplicates are no more than the calls the killed relay had in flight, and the
 * three together keep Telegram's 30 calls/s per bot.
 */
class KafkaScaleOutIT {

    private static final int RELAYS = 3;
    private static final int RECIPIENTS = 60;
    private static final int PER_RECIPIENT = 5;
    private static final int REQUESTS = RECIPIENTS * PER_RECIPIENT;
    private static final int PARTITIONS = 6;
    /** The killed relay's calls in flight at most: its delivery threads. */
    private static final int CONCURRENCY = 8;
    private static final int KILL_AFTER = 100;
    private static final String TOPIC = "scale-requests";
    private static final Pattern CAPTION = Pattern.compile("name=\"caption\".*?\\r\\n\\r\\n(r\\d+-\\d+)",
            Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;
    private KafkaBroker broker;
    private WireMockServer telegram;
    private final List<RelayProcess> relays = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        relays.forEach(RelayProcess::close);
        if (telegram != null) {
            telegram.stop();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void threeRelaysDeliverEveryRequestInOrderPerRecipientWithinTelegramsRateThroughAKill() throws Exception {
        broker = KafkaBroker.start(folder.resolve("broker"));
        createTopic();
        telegram = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(64));
        telegram.start();
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"message_id\":1}}").withFixedDelay(50)));
        for (int i = 1; i <= RELAYS; i++) {
            relays.add(startRelay(i));
        }
        // each counts the others before it takes a request: the group's share of the rate holds from the first call
        for (RelayProcess relay : relays) {
            await().atMost(Duration.ofSeconds(60)).until(() -> relay.log().contains(RELAYS + " relay(s) in group"));
        }

        String photo = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(TestImages.jpeg(40, 30));
        for (int seq = 0; seq < PER_RECIPIENT; seq++) {
            for (int r = 0; r < RECIPIENTS; r++) {
                String chat = Integer.toString(1000 + r);
                Map<String, String> request = new LinkedHashMap<>();
                request.put("id", "r" + chat + "-" + seq);
                request.put("image", photo);
                request.put("target", "telegram");
                request.put("recipient", chat);
                request.put("caption", "r" + chat + "-" + seq);
                broker.send(TOPIC, "telegram:" + chat, JSON.writeValueAsBytes(request), Map.of());
            }
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> calls().size() >= KILL_AFTER);
        relays.get(0).kill();
        long sentWhenKilled = calls().size();

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
                captionsPerChat(calls()).values().stream().mapToLong(l -> l.stream().distinct().count()).sum())
                .as("requests delivered; the relays' logs:%n%s", logTails()).isEqualTo(REQUESTS));

        List<LoggedRequest> calls = calls();
        Map<String, List<Integer>> perChat = captionsPerChat(calls);
        assertThat(perChat).hasSize(RECIPIENTS);
        perChat.forEach((chat, seqs) -> {
            List<Integer> firsts = seqs.stream().distinct().toList();
            assertThat(firsts).as("the order chat %s got its photos in", chat).isSorted().hasSize(PER_RECIPIENT);
        });
        assertThat(calls.size() - REQUESTS).as("duplicates: at most the killed relay's calls in flight (%d sent when"
                + " it was killed)", sentWhenKilled).isBetween(0, CONCURRENCY);
        assertThat(mostCallsInOneSecond(calls)).as("calls to the bot in any one second, all relays together")
                .isLessThanOrEqualTo(30);
    }

    private String logTails() {
        StringBuilder tails = new StringBuilder();
        relays.forEach(relay -> {
            tails.append(relay).append(":\n");
            relay.log().lines().filter(line -> line.contains("Kafka") || line.contains("WARN") || line.contains("ERROR"))
                    .forEach(line -> tails.append(line).append('\n'));
        });
        Map<String, List<Integer>> perChat = captionsPerChat(calls());
        tails.append("not delivered:");
        List<String> missing = new ArrayList<>();
        for (int r = 0; r < RECIPIENTS; r++) {
            List<Integer> got = perChat.getOrDefault(Integer.toString(1000 + r), List.of());
            for (int seq = 0; seq < PER_RECIPIENT; seq++) {
                if (!got.contains(seq)) {
                    tails.append(" r").append(1000 + r).append('-').append(seq);
                    missing.add("telegram:" + (1000 + r));
                }
            }
        }
        tails.append('\n');
        relays.forEach(relay -> relay.log().lines().filter(line -> missing.stream().anyMatch(line::contains))
                .forEach(line -> tails.append(relay).append(' ').append(line).append('\n')));
        return tails.toString();
    }

    private RelayProcess startRelay(int i) throws IOException {
        int port = RelayProcess.freePort();
        Path home = folder.resolve("relay-" + i);
        Map<String, String> settings = new HashMap<>();
        settings.put("quarkus.http.port", Integer.toString(port));
        settings.put("quarkus.http.host", "127.0.0.1");
        settings.put("relay.inbox.dir", home.resolve("inbox").toString());
        settings.put("relay.media.public-base-url", "http://127.0.0.1:" + port);
        settings.put("relay.telegram.base-uri", telegram.baseUrl());
        settings.put("relay.telegram.token", TelegramWireMock.TOKEN);
        settings.put("relay.concurrency", Integer.toString(CONCURRENCY));
        settings.put("relay.kafka.bootstrap-servers", broker.bootstrapServers());
        settings.put("relay.kafka.requests-topic", TOPIC);
        settings.put("relay.kafka.outcomes-topic", "scale-outcomes");
        settings.put("relay.kafka.deliveries-topic", "scale-deliveries");
        settings.put("relay.kafka.group-id", "scale");
        // a killed member's partitions go to the others after this (Kafka's default is 45 s)
        settings.put("camel.component.kafka.session-timeout-ms", "8000");
        Files.createDirectories(home);
        RelayProcess relay = RelayProcess.start("relay-" + i, home, settings);
        await().atMost(Duration.ofSeconds(60)).until(() -> relay.log().contains("Kafka: taking photo requests"));
        return relay;
    }

    private void createTopic() throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
    }

    private List<LoggedRequest> calls() {
        return telegram.findAll(postRequestedFor(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)));
    }

    /** Each chat's photos, by their sequence number, in the order the calls came (repeats included). */
    private static Map<String, List<Integer>> captionsPerChat(List<LoggedRequest> calls) {
        Map<String, List<Integer>> perChat = new TreeMap<>();
        calls.stream().sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate())).forEach(call -> {
            Matcher caption = CAPTION.matcher(call.getBodyAsString());
            if (caption.find()) {
                String[] parts = caption.group(1).substring(1).split("-");
                perChat.computeIfAbsent(parts[0], c -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
            }
        });
        return perChat;
    }

    private static int mostCallsInOneSecond(List<LoggedRequest> calls) {
        List<Long> times = calls.stream().map(call -> call.getLoggedDate().getTime()).sorted().toList();
        int most = 0;
        for (int first = 0, last = 0; last < times.size(); last++) {
            while (times.get(last) - times.get(first) >= 1000) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }
}
