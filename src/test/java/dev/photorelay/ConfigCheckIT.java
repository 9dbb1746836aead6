package dev.photorelay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.photorelay.testing.RelayProcess;

/** The packaged relay refuses to start on malformed settings, naming each bad key and echoing no secret. */
class ConfigCheckIT {

    @TempDir
    Path folder;

    @Test
    void malformedSettingsStopTheRelayAtStartWithOneMessageNamingEachKey() {
        try (RelayProcess relay = RelayProcess.launch("bad-settings", folder, Map.of(
                "quarkus.http.port", String.valueOf(RelayProcess.freePort()),
                "relay.retry.max-attempts", "-1",
                "relay.album.max-photos", "0",
                "relay.zapi.base-uri", "ftp://files.example.com",
                "relay.telegram.pacing.per-recipient", "fast",
                "relay.destinations.family", "telegram:987654321,fax:5551234",
                "relay.zapi.oversize", "document",
                "relay.telegram.token", "7000001:TOPSECRET pasted with a space"))) {

            assertThat(relay.awaitExitCode(Duration.ofSeconds(60))).isNotZero();

            assertThat(relay.log())
                    .contains("photo-relay cannot start, fix these settings:",
                            "relay.retry.max-attempts: must be at least 1 (is -1)",
                            "relay.album.max-photos: must be at least 1 (is 0)",
                            "relay.zapi.base-uri: must be an http:// or https:// URL",
                            "relay.telegram.pacing.per-recipient: a rate is N/s, N/min or N/h",
                            "relay.destinations.family: unknown target 'fax'",
                            "relay.zapi.oversize: must be fit or fail",
                            "relay.telegram.token: contains spaces or line breaks (value not shown)")
                    .doesNotContain("TOPSECRET", RelayProcess.STARTED)
                    // one plain message, not a stack trace
                    .doesNotContain("at dev.photorelay.ConfigCheck");
        }
    }

    @Test
    void aBotInboxWithoutTokenWithAnUnknownDestinationOrAChatThatIsNoneStopsTheRelayAtStart() {
        try (RelayProcess relay = RelayProcess.launch("bad-bot-inbox", folder, Map.of(
                "quarkus.http.port", String.valueOf(RelayProcess.freePort()),
                "relay.telegram.inbound.destination", "dispatch",
                "relay.telegram.inbound.allowed-chats", "987654321,field_team",
                "relay.telegram.inbound.long-poll-seconds", "-5"))) {

            assertThat(relay.awaitExitCode(Duration.ofSeconds(60))).isNotZero();
            assertThat(relay.log())
                    .contains("relay.telegram.inbound.destination: no destination named 'dispatch'",
                            "relay.telegram.token: needed to read the bot's updates",
                            "relay.telegram.inbound.allowed-chats: 'field_team' is neither a chat id nor an @username",
                            "relay.telegram.inbound.long-poll-seconds: must be at least 0 (is -5)")
                    .doesNotContain(RelayProcess.STARTED);
        }
    }

    @Test
    void kafkaTopicsThatKafkaCannotNameAndNoRoomInFlightStopTheRelayAtStart() {
        try (RelayProcess relay = RelayProcess.launch("bad-kafka", folder, Map.of(
                "quarkus.http.port", String.valueOf(RelayProcess.freePort()),
                "relay.kafka.bootstrap-servers", "127.0.0.1:9",
                "relay.kafka.requests-topic", "bad topic",
                "relay.kafka.outcomes-topic", "bad/outcomes",
                "relay.kafka.max-in-flight", "0"))) {

            assertThat(relay.awaitExitCode(Duration.ofSeconds(60))).isNotZero();
            assertThat(relay.log())
                    .contains("relay.kafka.requests-topic: must be a Kafka topic name",
                            "relay.kafka.outcomes-topic: must be a Kafka topic name",
                            "relay.kafka.max-in-flight: must be at least 1 (is 0)")
                    .doesNotContain(RelayProcess.STARTED);
        }
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingItsKey() {
        try (RelayProcess relay = RelayProcess.launch("wrong-type", folder, Map.of(
                "quarkus.http.port", String.valueOf(RelayProcess.freePort()),
                "relay.concurrency", "many"))) {

            assertThat(relay.awaitExitCode(Duration.ofSeconds(60))).isNotZero();
            assertThat(relay.log()).contains("relay.concurrency").doesNotContain(RelayProcess.STARTED);
        }
    }

    @Test
    void theDemoRefusesToStartWithARealPlatformBehindItsPublicToken() {
        try (RelayProcess relay = RelayProcess.launch("demo-with-real-bot", folder, Map.of(
                "quarkus.profile", "demo",
                "quarkus.http.port", String.valueOf(RelayProcess.freePort()),
                "relay.telegram.token", "7000001:REAL-BOT-TOKEN-SECRET",
                "relay.sonoran.base-uri", "https://api.sonorancad.com"))) {

            assertThat(relay.awaitExitCode(Duration.ofSeconds(60))).isNotZero();
            assertThat(relay.log())
                    .contains("relay.api.token: the demo profile's public token 'demo' would send photos through a real "
                            + "platform (relay.telegram.token, relay.sonoran.base-uri set outside the demo)")
                    .doesNotContain("REAL-BOT-TOKEN-SECRET", RelayProcess.STARTED);
        }
    }

    @Test
    void theDemoStartsWithARealPlatformOnceItHasATokenOfItsOwn() {
        try (RelayProcess relay = RelayProcess.start("demo-with-own-token", folder, Map.of(
                "quarkus.profile", "demo",
                "quarkus.http.port", String.valueOf(RelayProcess.freePort()),
                "relay.telegram.token", "7000001:REAL-BOT-TOKEN-SECRET",
                "relay.api.token", "a-long-secret-of-my-own"))) {

            assertThat(relay.log()).contains(RelayProcess.STARTED).doesNotContain("REAL-BOT-TOKEN-SECRET");
        }
    }
}
