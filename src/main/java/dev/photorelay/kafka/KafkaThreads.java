package dev.photorelay.kafka;

import java.util.concurrent.ExecutorService;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.CamelContext;

/**
 * The threads that wait for Kafka requests' fan-outs (route {@code kafka-deliver}), one per request in flight, so
 * that none waits in a queue: a request queued behind one whose recipient it goes before would wait for ever. Their
 * number is bounded by {@code relay.kafka.max-in-flight} (plus one poll's records); the deliveries themselves run on
 * the delivery threads. Camel owns the pool and shuts it down.
 */
@Singleton
public class KafkaThreads {

    @Produces
    @Singleton
    @Named("kafkaDeliveries")
    ExecutorService kafkaDeliveries(CamelContext camel) {
        return camel.getExecutorServiceManager().newCachedThreadPool(this, "kafka-deliver");
    }
}
