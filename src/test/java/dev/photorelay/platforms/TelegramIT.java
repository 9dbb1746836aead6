package dev.photorelay.platforms;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link TelegramTest} against the packaged app: the jar, or the native binary with {@code -Dnative}. */
@QuarkusIntegrationTest
class TelegramIT extends TelegramTest {
}
