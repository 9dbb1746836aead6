package dev.photorelay.delivery;

import java.util.stream.Collectors;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The last step of {@code direct:send-photo}: logs each outcome and fails the exchange if any recipient failed. */
@Singleton
@Named("deliveryReport")
@RegisterForReflection
public class DeliveryReport {

    private static final Logger LOG = Logger.getLogger(DeliveryReport.class);

    public DeliveryResult complete(DeliveryResult result) throws PhotoDeliveryException {
        for (Outcome o : result.outcomes()) {
            if (o.delivered()) {
                LOG.infof("%s %s:%s (message id %s)", o.alreadySent() == null ? "Sent to" : "Already sent to",
                        o.target(), o.recipient(), o.messageId());
            } else {
                LOG.warnf("Failed for %s:%s: %s %s", o.target(), o.recipient(), o.code(),
                        o.platformError() == null ? "" : o.platformError());
            }
        }
        if (result.delivered()) {
            return result;
        }
        Outcome first = result.firstFailure().orElseThrow();
        String failed = result.outcomes().stream().filter(o -> !o.delivered())
                .map(o -> o.target() + ":" + o.recipient() + " " + o.code()
                        + (o.platformError() == null ? "" : " (" + o.platformError() + ")"))
                .collect(Collectors.joining("; "));
        throw new PhotoDeliveryException(first.code(),
                "not delivered to " + failed + "; " + result.outcomes().size() + " recipient(s) in all", result);
    }
}
