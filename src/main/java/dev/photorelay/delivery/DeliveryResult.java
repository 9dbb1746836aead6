package dev.photorelay.delivery;

import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The reply of {@code direct:send-photo}: one outcome per recipient, in recipient order. */
@RegisterForReflection
public record DeliveryResult(List<Outcome> outcomes) {

    public boolean delivered() {
        return outcomes.stream().allMatch(Outcome::delivered);
    }

    public Optional<Outcome> firstFailure() {
        return outcomes.stream().filter(o -> !o.delivered()).findFirst();
    }
}
