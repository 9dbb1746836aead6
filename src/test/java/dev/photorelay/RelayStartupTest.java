package dev.photorelay;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RelayStartupTest {

    @Inject
    CamelContext camel;

    @Test
    void builtInRoutesAndTheUsersOwnRoutesAreStarted() {
        assertThat(camel.getRoutes()).extracting(Route::getRouteId).contains("inbox", "send-photo", "deliver", "dispatch", "telegram",
                "zapi", "sonoran", "media-expiry", "camera");
        assertThat(camel.getRouteController().getRouteStatus("inbox").isStarted()).isTrue();
    }
}
