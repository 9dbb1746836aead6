package dev.photorelay.operations;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.CamelContext;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.photorelay.inbox.InboxPolls;

/**
 * Live while Camel runs the relay's routes and the inbox's polls keep ending: a stuck inbox (see {@link InboxPolls})
 * is reported with the file it is stuck on, so that a supervisor restarts the relay.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    private final CamelContext camel;
    private final InboxPolls polls;

    public LivenessCheck(CamelContext camel, InboxPolls polls) {
        this.camel = camel;
        this.polls = polls;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<String> stuck = polls.stuck();
        return HealthCheckResponse.named("photo-relay").withData("camel", camel.getStatus().name())
                .withData("inbox", stuck.map(why -> "stuck: " + why).orElse("polling"))
                .status(camel.getStatus().isStarted() && stuck.isEmpty()).build();
    }
}
