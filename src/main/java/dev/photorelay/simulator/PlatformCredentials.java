package dev.photorelay.simulator;

/**
 * The credentials the simulated platforms accept; a call with any other gets the platform's own refusal.
 * Sonoran, Telegram and Z-API each check theirs as the real service does (the bot token in the path, the instance
 * and token in the path plus the {@code Client-Token} header, the community id and API key in the body).
 */
public record PlatformCredentials(String telegramToken, String zapiInstance, String zapiToken, String zapiClientToken,
        String sonoranCommunityId, String sonoranApiKey) {
}
