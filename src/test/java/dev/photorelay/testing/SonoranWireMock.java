package dev.photorelay.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/** Sonoran CAD stand-in. */
public class SonoranWireMock extends PlatformWireMock {

    public static final String COMMUNITY = "test-community";
    public static final String API_KEY = "TEST-sonoran-key-SECRET";

    public SonoranWireMock() {
        super("sonoran", InjectSonoran.class);
    }

    @Override
    Map<String, String> credentials() {
        return Map.of("relay.sonoran.community-id", COMMUNITY, "relay.sonoran.api-key", API_KEY);
    }

    /** Injects the Sonoran {@code WireMockServer} into a test field. */
    @Target(ElementType.FIELD)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface InjectSonoran {
    }
}
