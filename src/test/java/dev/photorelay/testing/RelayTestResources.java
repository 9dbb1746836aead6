package dev.photorelay.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * The platforms and the inbox every test runs against, declared once and globally so that all tests share one
 * running relay.
 */
@WithTestResource(value = TempInbox.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = TelegramWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ZapiWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SonoranWireMock.class, scope = TestResourceScope.GLOBAL)
public final class RelayTestResources {

    private RelayTestResources() {
    }
}
