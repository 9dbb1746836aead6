package dev.photorelay;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;

import dev.photorelay.delivery.Destinations;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.Rate;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Checks the relay's keys before anything starts: a malformed one stops the service with a message naming the key
 * and what is wrong with it, never a secret's value. (Keys of the wrong type, such as {@code relay.concurrency=many},
 * are already refused by the configuration itself, also naming the key.)
 */
@Singleton
public class ConfigCheck {

    /** The demo profile's API token, public by design (README "Try it without accounts"). */
    static final String DEMO_API_TOKEN = "demo";
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,245}");

    void check(@Observes @Priority(1) BeforeConfigure event, RelayConfig config, Destinations destinations) {
        List<String> problems = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        Problems report = (key, problem) -> {
            keys.add(key);
            problems.add(key + ": " + problem);
        };
        atLeast(report, "relay.concurrency", config.concurrency(), 1);
        atLeast(report, "relay.retry.max-attempts", config.retry().maxAttempts(), 1);
        atLeast(report, "relay.album.max-photos", config.album().maxPhotos(), 1);
        if (config.kafka().bootstrapServers().filter(servers -> !servers.isBlank()).isPresent()) {
            atLeast(report, "relay.kafka.max-in-flight", config.kafka().maxInFlight(), 1);
            atLeast(report, "relay.kafka.outcomes-buffer", config.kafka().outcomesBuffer(), 1);
            topic(report, "relay.kafka.requests-topic", config.kafka().requestsTopic());
            topic(report, "relay.kafka.outcomes-topic", config.kafka().outcomesTopic());
            topic(report, "relay.kafka.deliveries-topic", config.kafka().deliveriesTopic());
            if (config.kafka().groupId().isBlank()) {
                report.add("relay.kafka.group-id", "must not be empty");
            }
        }
        notNegative(report, "relay.retry.initial-delay", config.retry().initialDelay());
        notNegative(report, "relay.retry.max-delay", config.retry().maxDelay());
        notNegative(report, "relay.retry.max-wait", config.retry().maxWait());
        if (config.retry().maxDelay().compareTo(config.retry().initialDelay()) < 0) {
            report.add("relay.retry.max-delay", "must not be shorter than relay.retry.initial-delay");
        }
        notNegative(report, "relay.inbox.stable-for", config.inbox().stableFor());
        positive(report, "relay.inbox.poll-interval", config.inbox().pollInterval());
        positive(report, "relay.inbox.incomplete-after", config.inbox().incompleteAfter());
        positive(report, "relay.inbox.stall-after", config.inbox().stallAfter());
        positive(report, "relay.http.timeout", config.http().timeout());
        positive(report, "relay.api.read-timeout", config.api().readTimeout());
        positive(report, "relay.media.ttl", config.media().ttl());
        httpUrl(report, "relay.telegram.base-uri", Optional.of(config.telegram().baseUri()));
        httpUrl(report, "relay.zapi.base-uri", Optional.of(config.zapi().baseUri()));
        httpUrl(report, "relay.sonoran.base-uri", Optional.of(config.sonoran().baseUri()));
        httpUrl(report, "relay.media.public-base-url", config.media().publicBaseUrl().filter(s -> !s.isBlank()));
        pacing(report, "relay.telegram.pacing", config.telegram().pacing());
        pacing(report, "relay.zapi.pacing", config.zapi().pacing());
        pacing(report, "relay.sonoran.pacing", config.sonoran().pacing());
        secret(report, "relay.telegram.token", config.telegram().token());
        secret(report, "relay.zapi.instance", config.zapi().instance());
        secret(report, "relay.zapi.token", config.zapi().token());
        secret(report, "relay.zapi.client-token", config.zapi().clientToken());
        secret(report, "relay.sonoran.community-id", config.sonoran().communityId());
        secret(report, "relay.sonoran.api-key", config.sonoran().apiKey());
        secret(report, "relay.api.token", config.api().token());
        // WhatsApp (through Z-API) and Sonoran take no documents
        if (config.zapi().oversize() == RelayConfig.Oversize.DOCUMENT) {
            report.add("relay.zapi.oversize", "must be fit or fail: WhatsApp photos cannot be sent as documents here");
        }
        if (config.sonoran().oversize() == RelayConfig.Oversize.DOCUMENT) {
            report.add("relay.sonoran.oversize", "must be fit or fail: Sonoran takes no documents");
        }
        if (config.inbox().minFreeSpace().asLongValue() < 0) {
            report.add("relay.inbox.min-free-space", "must not be negative");
        }
        if (config.sonoran().maxBytes().asLongValue() <= 0) {
            report.add("relay.sonoran.max-bytes", "must be larger than zero");
        }
        if (config.api().maxBody().asLongValue() <= 0) {
            report.add("relay.api.max-body", "must be larger than zero");
        }
        for (String alias : config.destinations().keySet()) {
            try {
                destinations.resolve(null, null, alias);
            } catch (PhotoDeliveryException e) {
                report.add("relay.destinations." + alias, e.reason().replaceFirst("^relay\\.destinations\\.[^:]*: ", ""));
            }
        }
        telegramInbound(report, config, destinations);
        demoWithRealPlatforms(report, config);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("photo-relay cannot start, fix these settings:\n  "
                    + String.join("\n  ", problems), keys);
        }
    }

    /** The platform keys the demo profile sets to its simulator and its demo credentials. */
    private static final List<String> DEMO_PLATFORM_KEYS = List.of("relay.telegram.base-uri", "relay.telegram.token",
            "relay.zapi.base-uri", "relay.zapi.instance", "relay.zapi.token", "relay.zapi.client-token",
            "relay.sonoran.base-uri", "relay.sonoran.community-id", "relay.sonoran.api-key");

    /**
     * The demo profile's API token {@code demo} is public (README): with a real platform's credentials or address set
     * (in the environment, as a system property, in config/application.properties), anyone could send through it.
     * Such a demo needs a token of its own. Only key names are reported, never values.
     */
    private static void demoWithRealPlatforms(Problems report, RelayConfig config) {
        if (!config.demo().enabled() || !DEMO_API_TOKEN.equals(config.api().token().orElse(""))) {
            return;
        }
        List<String> real = new ArrayList<>();
        for (String key : DEMO_PLATFORM_KEYS) {
            ConfigValue value = ConfigProvider.getConfig().getConfigValue(key);
            String source = value.getSourceName();
            boolean setByUser = source != null && (!source.contains("application.properties") || isUserFile(source));
            if (value.getValue() != null && !value.getValue().isBlank() && setByUser) {
                real.add(key);
            }
        }
        if (!real.isEmpty()) {
            report.add("relay.api.token", "the demo profile's public token 'demo' would send photos through a real "
                    + "platform (" + String.join(", ", real) + " set outside the demo): set relay.api.token "
                    + "(RELAY_API_TOKEN) to a secret of your own");
        }
    }

    /** {@code config/application.properties} beside the relay is the user's, not the built-in file. */
    private static boolean isUserFile(String source) {
        return source != null && source.contains("config/application.properties");
    }

    /** A chat in relay.telegram.inbound.allowed-chats: a chat id, or a sender's @username (Bot API: User). */
    private static final Pattern ALLOWED_CHAT = Pattern.compile("-?\\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31}");

    /** The bot's inbox, once it has a destination: a token to poll with, a destination photos can go to. */
    private static void telegramInbound(Problems report, RelayConfig config, Destinations destinations) {
        RelayConfig.Inbound inbound = config.telegram().inbound();
        Optional<String> destination = inbound.destination().filter(d -> !d.isBlank());
        if (destination.isEmpty()) {
            return;
        }
        try {
            destinations.inboxFolder(destination.get());
        } catch (PhotoDeliveryException e) {
            report.add("relay.telegram.inbound.destination", e.reason());
        }
        if (config.telegram().token().filter(t -> !t.isBlank()).isEmpty()) {
            report.add("relay.telegram.token", "needed to read the bot's updates (relay.telegram.inbound.destination is set)");
        }
        for (String chat : inbound.allowedChats().orElse(List.of())) {
            if (!chat.isBlank() && !ALLOWED_CHAT.matcher(chat.trim()).matches()) {
                report.add("relay.telegram.inbound.allowed-chats", "'" + Printable.of(chat.trim(), 40)
                        + "' is neither a chat id nor an @username");
            }
        }
        atLeast(report, "relay.telegram.inbound.long-poll-seconds", inbound.longPollSeconds(), 0);
        notNegative(report, "relay.telegram.inbound.poll-delay", inbound.pollDelay());
    }

    @FunctionalInterface
    private interface Problems {
        void add(String key, String problem);
    }

    /** Kafka's rule for topic names: 1 to 249 of letters, digits, '.', '_' and '-' (the DLQ adds ".dlq"). */
    private static void topic(Problems report, String key, String name) {
        if (!KAFKA_TOPIC.matcher(name).matches()) {
            report.add(key, "must be a Kafka topic name: 1 to 245 letters, digits, '.', '_' or '-'");
        }
    }

    private static void atLeast(Problems report, String key, int value, int least) {
        if (value < least) {
            report.add(key, "must be at least " + least + " (is " + value + ")");
        }
    }

    private static void notNegative(Problems report, String key, Duration value) {
        if (value.isNegative()) {
            report.add(key, "must not be negative (is " + value + ")");
        }
    }

    private static void positive(Problems report, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            report.add(key, "must be longer than zero (is " + value + ")");
        }
    }

    /** An http(s) URL with a host; the value is not echoed, as it could carry a user:password. */
    private static void httpUrl(Problems report, String key, Optional<String> value) {
        if (value.isEmpty()) {
            return;
        }
        try {
            URI uri = new URI(value.get().trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        report.add(key, "must be an http:// or https:// URL with a host name");
    }

    private static void pacing(Problems report, String prefix, RelayConfig.Pacing pacing) {
        rate(report, prefix + ".overall", pacing.overall());
        rate(report, prefix + ".per-recipient", pacing.perRecipient());
        pacing.perGroup().ifPresent(rate -> rate(report, prefix + ".per-group", rate));
    }

    private static void rate(Problems report, String key, String value) {
        try {
            Rate.parse(value);
        } catch (IllegalArgumentException e) {
            report.add(key, e.getMessage() + " (is '" + value + "')");
        }
    }

    /** A credential pasted with a line break or spaces would be refused by the platform as a wrong one. */
    private static void secret(Problems report, String key, Optional<String> value) {
        if (value.isPresent() && !value.get().isEmpty() && !value.get().matches("\\S+")) {
            report.add(key, "contains spaces or line breaks (value not shown)");
        }
    }
}
