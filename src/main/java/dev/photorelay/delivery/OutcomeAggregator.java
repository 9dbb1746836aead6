package dev.photorelay.delivery;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Collects the outcome of each fan-out branch into one {@link DeliveryResult}. */
@Singleton
@Named("outcomeAggregator")
@RegisterForReflection
public class OutcomeAggregator implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange collected, Exchange branch) {
        Outcome outcome = branch.getMessage().getBody(Outcome.class);
        if (collected == null) {
            // a fresh holder, not the branch itself: a branch's properties and error state (a failure its
            // onException handled) must not leak into the caller's exchange
            Exchange holder = new DefaultExchange(branch.getContext());
            List<Outcome> outcomes = new ArrayList<>();
            outcomes.add(outcome);
            holder.getMessage().setBody(outcomes);
            return holder;
        }
        collected.getMessage().getBody(List.class).add(outcome);
        return collected;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onCompletion(Exchange collected, Exchange original) {
        if (collected == null) {
            return;
        }
        List<Outcome> outcomes = collected.getMessage().getBody(List.class);
        collected.getMessage().setBody(new DeliveryResult(List.copyOf(outcomes)));
        // the collected message becomes the reply: it keeps the caller's headers
        collected.getMessage().setHeaders(original.getMessage().getHeaders());
    }
}
