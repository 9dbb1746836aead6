package dev.photorelay.inbox;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ArrivalsTest} against the packaged app: files made the way tools make them, dropped for the real process. */
@QuarkusIntegrationTest
class ArrivalsIT extends ArrivalsTest {
}
