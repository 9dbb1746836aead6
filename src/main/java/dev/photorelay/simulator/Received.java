package dev.photorelay.simulator;

import java.time.Instant;

/**
 * A photo as a simulated platform received it, accepted or refused.
 *
 * @param recipient the chat, phone or API id it was addressed to; {@code null} if the request did not say
 * @param album the same for every photo that came in one call as several, unique within one simulator: the
 *        {@code media_group_id} of a Telegram {@code sendMediaGroup}, or an id given to a Sonoran call with several
 *        {@code data} entries (which may name different recipients); {@code null} for a photo sent alone
 * @param albumIndex the photo's place in its album, from 0 in the order of the request; 0 for a photo sent alone
 * @param photo the image's bytes as uploaded, decoded from a data URI or fetched from a URL; {@code null} when the
 *        platform did not get them (refused before, or a URL Z-API only queues)
 * @param imageUrl the URL the photo was given as, if it was
 * @param requestBytes the size of the call that brought it (the whole call, for each photo of an album)
 * @param fetchedBytes bytes the platform fetched from a URL to get the photo (0 for an upload)
 * @param answer what the platform answered the call: a refusal's status and text, or
 *        {@link SimulatedAnswer#accepted()}; the photos of an album share it, so one refused photo refuses them all
 * @param receivedAt the {@link SimulatedCall#receivedAt()} of the call that brought it
 */
public record Received(Instant at, String platform, String recipient, String caption, String album, int albumIndex,
        String mediaType, byte[] photo, String imageUrl, long requestBytes, long fetchedBytes, SimulatedAnswer answer,
        long receivedAt) {
}
