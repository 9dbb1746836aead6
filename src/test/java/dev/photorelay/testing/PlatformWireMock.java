package dev.photorelay.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A WireMock server on a loopback port playing one platform, with the stubs of
 * {@code src/test/resources/wiremock/mappings/<platform>-*.json}; it points our own keys at itself.
 */
abstract class PlatformWireMock implements QuarkusTestResourceLifecycleManager {

    private final String platform;
    private final Class<? extends Annotation> injectInto;
    private WireMockServer server;

    PlatformWireMock(String platform, Class<? extends Annotation> injectInto) {
        this.platform = platform;
        this.injectInto = injectInto;
    }

    /** The platform's keys besides its base URI (credentials). */
    abstract Map<String, String> credentials();

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().usingFilesUnderClasspath("wiremock"));
        server.start();
        Map<String, String> config = new HashMap<>(credentials());
        config.put("relay." + platform + ".base-uri", server.baseUrl());
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(injectInto, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
