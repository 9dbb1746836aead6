package dev.photorelay.delivery;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import dev.photorelay.platforms.ErrorClassifier;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Collects the outcome of each fan-out branch into one {@link DeliveryResult}. Every recipient ends with an outcome:
 * a branch that failed without one (an exception outside the platform call's error mapping) gets an
 * {@code INTERNAL_ERROR} outcome, logged once with its cause; a delivery confirmed by the platform stays delivered
 * even if what came after it failed (the journal's write), which is logged, so a photo's record never loses it.
 */
@Singleton
@Named("outcomeAggregator")
@RegisterForReflection
public class OutcomeAggregator implements AggregationStrategy {

    private static final Logger LOG = Logger.getLogger(OutcomeAggregator.class);

    private final ErrorClassifier errors;

    public OutcomeAggregator(ErrorClassifier errors) {
        this.errors = errors;
    }

    @Override
    public Exchange aggregate(Exchange collected, Exchange branch) {
        Outcome outcome = outcomeOf(branch);
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

    private Outcome outcomeOf(Exchange branch) {
        Outcome outcome = branch.getMessage().getBody() instanceof Outcome settled ? settled : null;
        Exception failure = branch.getException();
        if (failure == null && outcome != null) {
            return outcome;
        }
        Recipient recipient = branch.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        String who = recipient == null ? "a recipient" : recipient.target().id() + ":" + Printable.of(recipient.id());
        if (outcome != null && outcome.delivered()) {
            if (errors.hostFault(failure)) {
                // the relay's own disk: said once for all the photos it hits
                LOG.debugf("Delivered to %s, but the journal could not record it: %s", who, errors.reason(failure));
            } else {
                LOG.warnf("Delivered to %s, but what followed failed: %s (the delivery stands; after a crash before "
                        + "the photo is filed it may be sent again)", who, errors.reason(failure));
            }
            return outcome;
        }
        Throwable cause = failure != null ? failure : new IllegalStateException("the delivery ended without an outcome");
        Outcome failed = errors.failedOutcome(recipient, cause);
        if (failed.code() != ErrorCode.INTERNAL_ERROR) {
            failed = new Outcome(failed.target(), failed.recipient(), failed.status(), null, ErrorCode.INTERNAL_ERROR,
                    null, failed.platformError(), 0, null, null, failed.timestamp(), null, null, null, null, null);
        }
        LOG.errorf("The delivery to %s failed inside the relay: %s", who, failed.platformError());
        return failed;
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
