package dev.photorelay.inbox;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON written beside a settled photo ({@code <file>.receipt.json} in {@code .sent/},
 * {@code <file>.error.json} in {@code .failed/}).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryRecord(
        String file,
        String status,
        ErrorCode code,
        String message,
        List<Outcome> recipients,
        Instant timestamp) {
}
