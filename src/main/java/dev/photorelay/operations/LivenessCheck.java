package dev.photorelay.operations;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.CamelContext;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while Camel runs the relay's routes. */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    private final CamelContext camel;

    public LivenessCheck(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("photo-relay").withData("camel", camel.getStatus().name())
                .status(camel.getStatus().isStarted()).build();
    }
}
