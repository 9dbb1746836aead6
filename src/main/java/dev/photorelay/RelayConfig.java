package dev.photorelay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/**
 * The relay's own keys ({@code relay.*}). Defaults live in application.properties, the one documented place;
 * every key can be overridden by its environment variable (RELAY_TELEGRAM_TOKEN, ...).
 */
@ConfigMapping(prefix = "relay")
public interface RelayConfig {

    Inbox inbox();

    Routes routes();

    Http http();

    Telegram telegram();

    Zapi zapi();

    Sonoran sonoran();

    Media media();

    /** Platform calls in flight at once: the threads that send photos (waiting photos hold none). */
    int concurrency();

    Retry retry();

    Api api();

    Demo demo();

    Album album();

    /** Aliases: {@code relay.destinations.<alias>=telegram:987654321,zapi:5511999999999}. */
    Map<String, String> destinations();

    Kafka kafka();

    interface Inbox {
        String dir();

        /** A finished photo is taken once it has not changed for this long (see Arrivals). */
        Duration stableFor();

        /** A file that stays empty or short of its image's end this long, unchanged, is filed as truncated. */
        Duration incompleteAfter();

        /** A poll that has not ended for this long makes the relay not live (see InboxPolls). */
        Duration stallAfter();

        /** How often the inbox is looked at (read by the inbox route). */
        Duration pollInterval();

        /** Readiness is DOWN while the inbox's disk has less free space than this (see DiskWatch). */
        MemorySize minFreeSpace();
    }

    /** Photo requests from Kafka and outcomes to it; all off without {@link Kafka#bootstrapServers()}. */
    interface Kafka {
        /** {@code host:port,...} of the cluster; absent, the relay neither reads from Kafka nor publishes to it. */
        Optional<String> bootstrapServers();

        /** Where photo requests are read from; unreadable ones are copied to {@code <topic>.dlq}. */
        String requestsTopic();

        /** Where one record per recipient of every photo (from every input) is published. */
        String outcomesTopic();

        /** The consumer group: relays with the same group share the requests topic's partitions. */
        String groupId();

        /** This relay's client id in the group (unique per process by default), as the broker's tools show it. */
        String clientId();

        /** The group's store of confirmed deliveries of Kafka requests (a compacted topic), read by every member. */
        String deliveriesTopic();

        /** Requests taken and not yet settled, at most: above it the consumer pauses (staying in its group). */
        int maxInFlight();

        /** Outcomes held while they cannot be published (the broker away), at most; the oldest go first when full. */
        int outcomesBuffer();
    }

    interface Album {
        /** The most photos one album may hold; a larger one fails whole, before any call. */
        int maxPhotos();
    }

    interface Routes {
        /** Folder of the user's own *.camel.yaml routes, loaded at start (read by Camel). */
        String dir();
    }

    interface Http {
        /** Longest wait for a platform to accept a connection or answer (read by camel-http). */
        Duration timeout();
    }

    interface Api {
        /** The bearer token clients of POST /api/photos send; without one the API refuses every send. */
        Optional<String> token();

        /** The largest request body taken (also Quarkus's own limit, so a bigger one is refused before it is read). */
        MemorySize maxBody();

        /** A request whose body has not arrived whole within this is answered 408 and its connection closed. */
        Duration readTimeout();
    }

    interface Demo {
        /**
         * Plays Telegram, Z-API and Sonoran on the relay's own port, with a page at /demo showing what they received.
         * The demo profile turns it on; off, none of its paths exist.
         */
        boolean enabled();
    }

    interface Retry {
        /** Tries per recipient, the first included; only transient codes are tried again. */
        int maxAttempts();

        Duration initialDelay();

        Duration maxDelay();

        /** A platform asking for a longer wait than this is not waited for: the photo fails as RATE_LIMITED. */
        Duration maxWait();
    }

    /** Rates such as {@code 30/s}, {@code 20/min} or {@code none}; see {@code Rate}. */
    interface Pacing {
        /** All calls to the platform. */
        String overall();

        /** Calls to one recipient. */
        String perRecipient();

        /** Calls to one group recipient (Telegram groups and channels, Z-API groups); else per-recipient. */
        Optional<String> perGroup();
    }

    /** What becomes of a photo over a platform's limits (see PhotoPreparation). */
    enum Oversize {
        /** Re-encoded as a JPEG within the limits; over Telegram's aspect ratio, a document. */
        FIT,
        /** The original as a document (Telegram {@code sendDocument}). */
        DOCUMENT,
        /** Refused, as {@code PAYLOAD_TOO_LARGE} or {@code INVALID_REQUEST}. */
        FAIL
    }

    interface Telegram {
        String baseUri();

        Optional<String> token();

        Pacing pacing();

        Oversize oversize();

        /** Photos sent to the bot, relayed on (off without a destination); see TelegramInbox. */
        Inbound inbound();
    }

    /** {@code relay.telegram.inbound.*}: the bot's own inbox. */
    interface Inbound {
        /** An alias or {@code target:recipient}; absent: the bot's updates are not read. */
        Optional<String> destination();

        /** Chat ids and {@code @usernames} whose photos are relayed; none: nobody's. */
        Optional<List<String>> allowedChats();

        /** Whether the bot answers in the chat: delivered, the error code, or a refusal. */
        boolean reply();

        /** The caption template ({@code {caption}}, {@code {from}}, {@code {chat}}); absent: the photo's own. */
        Optional<String> caption();

        /** Seconds one {@code getUpdates} call waits for an update (its {@code timeout}: Telegram's long polling). */
        int longPollSeconds();

        /** The pause between two {@code getUpdates} calls; the second acknowledges what the first gave. */
        Duration pollDelay();
    }

    interface Zapi {
        String baseUri();

        Optional<String> instance();

        Optional<String> token();

        Optional<String> clientToken();

        Pacing pacing();

        /** {@code fit} or {@code fail}: WhatsApp has no documents here. */
        Oversize oversize();
    }

    interface Sonoran {
        String baseUri();

        Optional<String> communityId();

        Optional<String> apiKey();

        Pacing pacing();

        /** {@code fit} or {@code fail}. */
        Oversize oversize();

        /** The largest photo published for Sonoran to fetch (its limit is not published). */
        MemorySize maxBytes();
    }

    interface Media {
        Optional<String> publicBaseUrl();

        Duration ttl();

        /** Where published photos are kept until they expire. */
        String dir();

        /** What is removed from a JPEG before it leaves: its location (GPS), all metadata, or nothing. */
        StripMetadata stripMetadata();
    }

    /** Metadata a JPEG loses before it leaves the relay (see MetadataRemoval). */
    enum StripMetadata {
        LOCATION, ALL, NONE
    }
}
