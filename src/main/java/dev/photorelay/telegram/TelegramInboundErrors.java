package dev.photorelay.telegram;

import java.time.Duration;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import dev.photorelay.platforms.Secrets;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Logs what fails in camel-telegram's consumer outside an update's route (a {@code getUpdates} that failed: Telegram
 * away, a wrong token, a 409 while another poller or a webhook uses the bot), and when polling works again.
 * camel-telegram's texts name the request's URL, and the bot token is in it: each is scrubbed of every secret, and no
 * stack trace goes to the log (its texts would carry the URL again). A failure is logged once, not at every poll:
 * again only when its text changes, or after {@link #REPEAT_AFTER} of the same (as the relay's own disk faults are).
 * <p>
 * Both the consumer's {@code exceptionHandler} and its {@code pollStrategy} (which tells of a poll that worked).
 */
@Singleton
@Named("telegramInboundErrors")
@RegisterForReflection
public class TelegramInboundErrors implements ExceptionHandler, PollingConsumerPollStrategy {

    /** How long the same failure goes unrepeated in the log. */
    static final Duration REPEAT_AFTER = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(TelegramInboundErrors.class);

    private final Secrets secrets;
    /** The failure last logged, while polling fails; null while it works. */
    private String failure;
    private long failedPolls;
    private long loggedAt;

    /** Scrubs with {@code secrets} every text it logs. */
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
     * Logs a failed poll: one WARN with the failure's kinds and texts along its causes, scrubbed, at most 1000
     * characters, unless it is the one logged last, less than {@link #REPEAT_AFTER} ago. camel-telegram's
     * {@code message} (which names the endpoint) and the exchange are left out.
     */
    @Override
    public synchronized void handleException(String message, Exchange exchange, Throwable exception) {
        StringBuilder text = new StringBuilder("Telegram: reading the bot's updates failed");
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            text.append(": ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                text.append(' ').append(cause.getMessage());
            }
        }
        String line = Printable.of(secrets.redact(text.toString()), 1000);
        failedPolls++;
        long now = System.nanoTime();
        if (line.equals(failure) && now - loggedAt < REPEAT_AFTER.toNanos()) {
            LOG.debug(line);
            return;
        }
        LOG.warn(failedPolls > 1 && line.equals(failure) ? line + " (still, " + failedPolls + " failed polls)" : line);
        failure = line;
        loggedAt = now;
    }

    /** A poll is about to begin: always let it. */
    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    /** A poll worked: after failed ones, one INFO says so. */
    @Override
    public synchronized void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        if (failure != null) {
            LOG.infof("Telegram: reading the bot's updates works again, after %d failed poll(s)", failedPolls);
        }
        failure = null;
        failedPolls = 0;
    }

    /** A poll failed: not tried again at once; the failure goes to {@link #handleException}, then the next poll. */
    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        return false;
    }
}
