package dev.photorelay.delivery;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Takes the result of one attempt back into the recipient's delivery: its outcome and the attempt count. Each
 * attempt runs on a copy of the delivery's exchange, so that a failure handled in the attempt (which ends that
 * exchange's routing) leaves the delivery free to try again; nothing else of the attempt comes back.
 */
@Singleton
@Named("attemptOutcome")
@RegisterForReflection
public class AttemptOutcome implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange delivery, Exchange attempt) {
        delivery.getMessage().setBody(attempt.getMessage().getBody(Outcome.class));
        delivery.setProperty(RetryPolicy.ATTEMPTS, attempt.getProperty(RetryPolicy.ATTEMPTS));
        return delivery;
    }
}
