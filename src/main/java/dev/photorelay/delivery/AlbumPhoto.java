package dev.photorelay.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One photo of an album as it reached one recipient, for the record: in the album's order.
 *
 * @param file      the photo's file name (as uploaded), or the URL / file_id it was given as
 * @param messageId the platform's message id for it, if the platform gives one (Sonoran gives none)
 * @param adapted   what was done to it so that the platform takes it (fitted), if anything
 * @param sentAs    {@code document}: sent as a file (Telegram), not as a photo
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlbumPhoto(String file, String messageId, Adaptation adapted, String sentAs) {
}
