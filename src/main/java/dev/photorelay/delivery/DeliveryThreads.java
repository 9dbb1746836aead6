package dev.photorelay.delivery;

import java.util.concurrent.ScheduledExecutorService;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.ThreadPoolProfile;

import dev.photorelay.RelayConfig;

/**
 * The threads that deliver: {@code relay.concurrency} of them, shared by the fan-out and the {@link Pacer}. A photo
 * waiting for its turn or a retry is a scheduled task, not a sleeping thread. Camel owns the pool and shuts it down.
 */
@Singleton
public class DeliveryThreads {

    @Produces
    @Singleton
    @Named("deliveryThreads")
    ScheduledExecutorService deliveryThreads(RelayConfig config, CamelContext camel) {
        // no queue limit (Camel's default profile refuses work past 1000 queued tasks): a refused task would leave a
        // photo, and every later photo to its recipient, waiting for ever; waiting tasks are small
        ThreadPoolProfile profile = new ThreadPoolProfileBuilder("delivery").poolSize(config.concurrency())
                .maxPoolSize(config.concurrency()).maxQueueSize(-1).build();
        return camel.getExecutorServiceManager().newScheduledThreadPool(this, "delivery", profile);
    }
}
