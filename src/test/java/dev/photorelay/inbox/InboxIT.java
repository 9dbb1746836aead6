package dev.photorelay.inbox;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link InboxTest} against the packaged app: the jar, or the native binary with {@code -Dnative}. */
@QuarkusIntegrationTest
class InboxIT extends InboxTest {
}
