package dev.photorelay.operations;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.photorelay.RelayConfig;
import dev.photorelay.kafka.ConfirmedDeliveries;
import dev.photorelay.platforms.PlatformApi;
import dev.photorelay.platforms.SonoranApi;
import dev.photorelay.platforms.TelegramApi;
import dev.photorelay.platforms.ZapiApi;

/**
 * Ready: the inbox can be written to, with {@code relay.inbox.min-free-space} free (see {@link DiskWatch}), and no
 * platform is half configured, and with {@code relay.kafka.bootstrap-servers} set, Kafka's photo requests are taken
 * (not yet while the broker is away at start: the relay tries again every 10 s). Each platform is listed as
 * configured, not configured, or incomplete with the keys it lacks; no platform is called, so a probe costs nothing.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final DiskWatch disk;
    private final List<PlatformApi> platforms;
    private final boolean kafka;
    private final ConfirmedDeliveries kafkaRequests;

    public ReadinessCheck(DiskWatch disk, TelegramApi telegram, ZapiApi zapi, SonoranApi sonoran, RelayConfig config,
            ConfirmedDeliveries kafkaRequests) {
        this.disk = disk;
        this.platforms = List.of(telegram, zapi, sonoran);
        this.kafka = config.kafka().bootstrapServers().filter(servers -> !servers.isBlank()).isPresent();
        this.kafkaRequests = kafkaRequests;
    }

    @Override
    public HealthCheckResponse call() {
        String diskProblem = disk.problem();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("photo-relay")
                .withData("inbox", diskProblem == null ? "writable" : diskProblem);
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
        boolean kafkaTaken = !kafka || kafkaRequests.takingRequests();
        response.withData("kafka", !kafka ? "off" : kafkaTaken ? "taking requests" : "waiting for the broker");
        return response.status(diskProblem == null && complete && kafkaTaken).build();
    }
}
