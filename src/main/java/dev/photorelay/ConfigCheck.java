package dev.photorelay;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.camel.quarkus.main.events.BeforeConfigure;

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

    void check(@Observes @Priority(1) BeforeConfigure event, RelayConfig config, Destinations destinations) {
        List<String> problems = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        Problems report = (key, problem) -> {
            keys.add(key);
            problems.add(key + ": " + problem);
        };
        atLeast(report, "relay.concurrency", config.concurrency(), 1);
        atLeast(report, "relay.retry.max-attempts", config.retry().maxAttempts(), 1);
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
        if (!problems.isEmpty()) {
            throw new ConfigurationException("photo-relay cannot start, fix these settings:\n  "
                    + String.join("\n  ", problems), keys);
        }
    }

    @FunctionalInterface
    private interface Problems {
        void add(String key, String problem);
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
