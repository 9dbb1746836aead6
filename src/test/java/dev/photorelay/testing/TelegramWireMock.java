package dev.photorelay.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/** Telegram Bot API stand-in. */
public class TelegramWireMock extends PlatformWireMock {

    public static final String TOKEN = "7000001:TEST-telegram-bot-SECRET";

    public TelegramWireMock() {
        super("telegram", InjectTelegram.class);
    }

    @Override
    Map<String, String> credentials() {
        return Map.of("relay.telegram.token", TOKEN);
    }

    /** Injects the Telegram {@code WireMockServer} into a test field. */
    @Target(ElementType.FIELD)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface InjectTelegram {
    }
}
