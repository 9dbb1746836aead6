package dev.photorelay.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ApiTest} against the packaged app: the jar, or the native binary with {@code -Dnative}. */
@QuarkusIntegrationTest
class ApiIT extends ApiTest {
}
