package dev.photorelay.platforms;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link PlatformErrorsTest} against the packaged app: the jar, or the native binary with {@code -Dnative}. */
@QuarkusIntegrationTest
class PlatformErrorsIT extends PlatformErrorsTest {
}
