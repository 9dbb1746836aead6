package dev.photorelay.inbox;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.telegram.TelegramOrigin;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON written beside a settled photo ({@code <file>.receipt.json} in {@code .sent/},
 * {@code <file>.error.json} in {@code .failed/}). {@code sha256} identifies the photo should it be moved back into
 * the inbox: then only the recipients not marked sent here are sent it again (and of an album, only the photos its
 * {@code recipients} entry does not list).
 *
 * @param photos   an album's photo files, in the order they were sent; null for a single photo
 * @param source   {@code telegram} for a photo sent to the bot; null for one dropped into the folder
 * @param telegram for a photo sent to the bot: its chat and message ids, sender and chat
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryRecord(
        String file,
        String sha256,
        String status,
        ErrorCode code,
        String message,
        List<String> photos,
        List<Outcome> recipients,
        Instant timestamp,
        String source,
        TelegramOrigin telegram) {
}
