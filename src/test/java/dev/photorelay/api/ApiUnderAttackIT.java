package dev.photorelay.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ApiUnderAttackTest} against the packaged app: raw requests to the real process's HTTP layer. */
@QuarkusIntegrationTest
class ApiUnderAttackIT extends ApiUnderAttackTest {
}
