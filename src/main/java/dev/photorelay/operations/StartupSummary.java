package dev.photorelay.operations;

import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.photorelay.RelayConfig;
import dev.photorelay.platforms.PlatformApi;
import dev.photorelay.platforms.SonoranApi;
import dev.photorelay.platforms.TelegramApi;
import dev.photorelay.platforms.ZapiApi;
import io.quarkus.runtime.StartupEvent;

/**
 * Says at start what the relay will do: which platforms can be used (and which keys the others lack), how it
 * delivers (concurrency, retries, pacing), whether the HTTP API is on, and which inbox it watches.
 */
@Singleton
public class StartupSummary {

    private static final Logger LOG = Logger.getLogger(StartupSummary.class);

    void onStart(@Observes StartupEvent event, TelegramApi telegram, ZapiApi zapi, SonoranApi sonoran, RelayConfig config) {
        for (PlatformApi platform : List.of(telegram, zapi, sonoran)) {
            List<String> missing = platform.missingKeys();
            if (missing.isEmpty()) {
                LOG.infof("Platform %s: active", platform.target());
            } else {
                LOG.infof("Platform %s: not configured (set %s)", platform.target(), String.join(", ", missing));
            }
        }
        LOG.infof("Delivery: up to %d calls at once; transient failures tried %d times, waits up to %s; pacing "
                + "telegram %s, zapi %s, sonoran %s", config.concurrency(), config.retry().maxAttempts(),
                config.retry().maxWait().toString().substring(2).toLowerCase(), pace(config.telegram().pacing()), pace(config.zapi().pacing()),
                pace(config.sonoran().pacing()));
        if (config.api().token().filter(token -> !token.isBlank()).isPresent()) {
            LOG.info("HTTP API: POST /api/photos, with the bearer token of relay.api.token");
        } else {
            LOG.info("HTTP API off: set relay.api.token (RELAY_API_TOKEN) to take photos at POST /api/photos");
        }
        LOG.infof("Watching inbox %s", Path.of(config.inbox().dir()).toAbsolutePath());
        if (config.media().publicBaseUrl().isEmpty()) {
            LOG.info("relay.media.public-base-url is not set: Sonoran can only be sent photos given as URLs");
        }
    }

    private static String pace(RelayConfig.Pacing pacing) {
        return pacing.overall() + " (per recipient " + pacing.perRecipient()
                + pacing.perGroup().map(group -> ", per group " + group).orElse("") + ")";
    }
}
