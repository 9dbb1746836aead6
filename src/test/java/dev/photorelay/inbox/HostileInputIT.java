package dev.photorelay.inbox;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link HostileInputTest} against the packaged app: the jar, or the native binary with {@code -Dnative}. */
@QuarkusIntegrationTest
class HostileInputIT extends HostileInputTest {
}
