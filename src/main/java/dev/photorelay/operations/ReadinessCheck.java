package dev.photorelay.operations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.photorelay.RelayConfig;
import dev.photorelay.platforms.PlatformApi;
import dev.photorelay.platforms.SonoranApi;
import dev.photorelay.platforms.TelegramApi;
import dev.photorelay.platforms.ZapiApi;

/**
 * Ready: the inbox can be written to, and no platform is half configured. Each platform is listed as configured, not
 * configured, or incomplete with the keys it lacks; no platform is called, so a probe costs nothing.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final Path inbox;
    private final List<PlatformApi> platforms;

    public ReadinessCheck(RelayConfig config, TelegramApi telegram, ZapiApi zapi, SonoranApi sonoran) {
        this.inbox = Path.of(config.inbox().dir());
        this.platforms = List.of(telegram, zapi, sonoran);
    }

    @Override
    public HealthCheckResponse call() {
        boolean inboxWritable = Files.isDirectory(inbox) && Files.isWritable(inbox);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("photo-relay")
                .withData("inbox", inboxWritable ? "writable" : "not writable: " + inbox.toAbsolutePath());
        boolean complete = true;
        for (PlatformApi platform : platforms) {
            PlatformApi.Configuration state = platform.configuration();
            complete &= state != PlatformApi.Configuration.INCOMPLETE;
            response.withData(platform.target().id(), switch (state) {
                case CONFIGURED -> "configured";
                case NOT_CONFIGURED -> "not configured";
                case INCOMPLETE -> "incomplete: set " + String.join(", ", platform.missingKeys());
            });
        }
        return response.status(inboxWritable && complete).build();
    }
}
