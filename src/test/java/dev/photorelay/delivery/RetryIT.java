package dev.photorelay.delivery;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RetryTest} against the packaged app: the jar, or the native binary with {@code -Dnative}. */
@QuarkusIntegrationTest
class RetryIT extends RetryTest {
}
