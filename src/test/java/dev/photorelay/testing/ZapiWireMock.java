package dev.photorelay.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/** Z-API stand-in. */
public class ZapiWireMock extends PlatformWireMock {

    public static final String INSTANCE = "3C0FFEE0INSTANCE";
    public static final String TOKEN = "TEST-zapi-instance-SECRET";
    public static final String CLIENT_TOKEN = "TEST-zapi-client-SECRET";

    public ZapiWireMock() {
        super("zapi", InjectZapi.class);
    }

    @Override
    Map<String, String> credentials() {
        return Map.of("relay.zapi.instance", INSTANCE, "relay.zapi.token", TOKEN, "relay.zapi.client-token", CLIENT_TOKEN);
    }

    /** Injects the Z-API {@code WireMockServer} into a test field. */
    @Target(ElementType.FIELD)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface InjectZapi {
    }
}
