package dev.photorelay.telegram;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import dev.photorelay.platforms.Secrets;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Logs what fails in camel-telegram's consumer outside an update's route (a {@code getUpdates} that failed: Telegram
 * away, a wrong token, a 409 while another poller or a webhook uses the bot). camel-telegram's texts name the request's
 * URL, and the bot token is in it: each is scrubbed of every secret, and no stack trace goes to the log (its texts
 * would carry the URL again).
 */
@Singleton
@Named("telegramInboundErrors")
@RegisterForReflection
public class TelegramInboundErrors implements ExceptionHandler {

    private static final Logger LOG = Logger.getLogger(TelegramInboundErrors.class);

    private final Secrets secrets;

    public TelegramInboundErrors(Secrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    /**
     * Logs one WARN: the failure's kinds and texts along its causes, scrubbed of every secret, at most 1000
     * characters; camel-telegram's {@code message} (which names the endpoint) and the exchange are left out.
     */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        StringBuilder text = new StringBuilder("Telegram: reading the bot's updates failed");
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            text.append(": ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                text.append(' ').append(cause.getMessage());
            }
        }
        LOG.warn(Printable.of(secrets.redact(text.toString()), 1000));
    }
}
