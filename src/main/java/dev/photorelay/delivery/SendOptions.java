package dev.photorelay.delivery;

/** What travels with a photo besides its bytes; every field is optional. */
public record SendOptions(String caption, String replyTo, Boolean viewOnce, Integer delaySeconds, String parseMode) {
}
