package dev.photorelay.platforms;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Singleton;

import dev.photorelay.RelayConfig;

/**
 * The platform credentials, so every text bound for a log line or a record can be scrubbed of them, also where
 * they appear URL-encoded (a Telegram token sits in the request path); and the media host's tokens, which open a
 * published photo to whoever has its URL (a platform that echoes the request puts them in its error text).
 */
@Singleton
public class Secrets {

    static final String MASK = "****";

    /** A media host URL's token ({@code /media/<43 characters of base64url>}, see MediaHost). */
    private static final Pattern MEDIA_TOKEN = Pattern.compile("/media/[A-Za-z0-9_-]{43}");

    private final Set<String> values = new LinkedHashSet<>();

    public Secrets(RelayConfig config) {
        Stream.of(config.telegram().token(), config.zapi().token(), config.zapi().clientToken(), config.sonoran().apiKey(),
                config.api().token())
                .flatMap(Optional::stream)
                .filter(s -> !s.isBlank())
                .forEach(s -> {
                    values.add(s);
                    values.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
                });
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String clean = text;
        for (String secret : values) {
            clean = clean.replace(secret, MASK);
        }
        return MEDIA_TOKEN.matcher(clean).replaceAll("/media/" + MASK);
    }
}
