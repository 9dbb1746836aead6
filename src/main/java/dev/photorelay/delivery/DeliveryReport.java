package dev.photorelay.delivery;

import java.util.stream.Collectors;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The last step of {@code direct:send-photo}: fails the exchange if any recipient failed (each outcome was logged as
 * its delivery ended).
 */
@Singleton
@Named("deliveryReport")
@RegisterForReflection
public class DeliveryReport {

    public DeliveryResult complete(DeliveryResult result) throws PhotoDeliveryException {
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
