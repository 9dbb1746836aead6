package dev.photorelay.simulator;

import static dev.photorelay.simulator.PlatformSimulator.quote;

import java.net.URLConnection;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The messages users send to the bot, as a bot that polls gets them (Bot API: getUpdates, Update, Message): each is
 * an update, pending until a getUpdates call's {@code offset} passes its {@code update_id}. Memory is bounded: the
 * last {@value #KEPT} pending updates (Telegram keeps them 24 hours), their files in {@link TelegramFiles}.
 */
final class BotUpdates {

    static final int KEPT = 100;
    /** The simulator's cap on a long poll: a test or a demo should not hang on Telegram's usual 30 seconds or more. */
    static final int MAX_TIMEOUT_SECONDS = 5;
    /** Bot API, Message.caption: "0-1024 characters". */
    private static final int MAX_CAPTION = 1024;
    /** Bot API, User.username; the same rule as a {@code chat_id} written {@code @username}. */
    static final Pattern USERNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{3,31}");

    /** One update as getUpdates gives it. */
    private record Update(long id, String json) {
    }

    private final TelegramFiles files;
    private final AtomicLong messageIds;
    private final Deque<Update> pending = new ArrayDeque<>();
    private long updateIds;
    /** getUpdates calls so far: a waiting call that is no longer the latest was cut off by a newer one. */
    private long polls;

    /** {@code messageIds} numbers the messages of the bot's chats, those it sends and those it is sent. */
    BotUpdates(TelegramFiles files, AtomicLong messageIds) {
        this.files = files;
        this.messageIds = messageIds;
    }

    /**
     * A message a user sends the bot in their private chat (whose id is the user's, Bot API: Chat), as a photo (its
     * sizes from {@link PhotoSizes}) or as a document (the file as it is, its {@code mime_type} that of the image, or
     * from {@code fileName}). Returns its {@code update_id}; {@link IllegalArgumentException} for what no Telegram
     * client sends: a chat id not positive, a bad username, a caption over 1024 characters, an empty file, or as a
     * photo one that is not an image Telegram shows as a photo or is over its 10 MB limit for photos.
     */
    long add(long chatId, String fromUsername, String caption, byte[] content, boolean asDocument, String fileName) {
        String username = fromUsername == null || fromUsername.isEmpty() ? null
                : fromUsername.startsWith("@") ? fromUsername.substring(1) : fromUsername;
        if (chatId <= 0) {
            throw new IllegalArgumentException("a private chat's id is its user's id, a positive number");
        }
        if (username != null && !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("not a Telegram username: " + fromUsername);
        }
        if (caption != null && caption.length() > MAX_CAPTION) {
            throw new IllegalArgumentException("a caption of more than " + MAX_CAPTION + " characters");
        }
        if (content.length == 0) {
            throw new IllegalArgumentException("an empty file");
        }
        String attachment = asDocument ? "\"document\":" + document(content, fileName) : "\"photo\":" + photo(content);
        String user = "\"id\":" + chatId + ",\"first_name\":" + quote(username != null ? username : "User")
                + (username == null ? "" : ",\"username\":" + quote(username));
        String message = "{\"message_id\":" + messageIds.incrementAndGet()
                + ",\"from\":{" + user + ",\"is_bot\":false},\"chat\":{" + user + ",\"type\":\"private\"}"
                + ",\"date\":" + Instant.now().getEpochSecond() + "," + attachment
                + (caption == null || caption.isEmpty() ? "" : ",\"caption\":" + quote(caption)) + "}";
        synchronized (this) {
            long id = ++updateIds;
            pending.addLast(new Update(id, "{\"update_id\":" + id + ",\"message\":" + message + "}"));
            while (pending.size() > KEPT) {
                pending.removeFirst();
            }
            notifyAll(); // a long poll waiting answers at once
            return id;
        }
    }

    /** A PhotoSize array, smallest first, each size a file of its own. */
    private String photo(byte[] content) {
        if (content.length > PlatformSimulator.MAX_PHOTO_BYTES) {
            throw new IllegalArgumentException("a photo over Telegram's 10 MB: send it as a document");
        }
        if (PlatformSimulator.imageType(content) == null) {
            throw new IllegalArgumentException("not an image Telegram can show as a photo: send it as a document");
        }
        StringJoiner sizes = new StringJoiner(",", "[", "]");
        for (PhotoSizes.Size size : PhotoSizes.of(content)) {
            sizes.add("{" + files.add("photos", size.bytes(), null).fields() + ",\"width\":" + size.width()
                    + ",\"height\":" + size.height() + "}");
        }
        return sizes.toString();
    }

    /** A Document: the file as sent, with its name (if it has one) and media type. */
    private String document(byte[] content, String fileName) {
        String type = PlatformSimulator.imageType(content);
        if (type == null && fileName != null) {
            type = URLConnection.guessContentTypeFromName(fileName);
        }
        return "{" + (fileName == null ? "" : "\"file_name\":" + quote(fileName) + ",") + "\"mime_type\":"
                + quote(type != null ? type : "application/octet-stream") + ","
                + files.add("documents", content, fileName).fields() + "}";
    }

    /** getUpdates calls so far (tests wait on it for a long poll to be waiting). */
    synchronized long polls() {
        return polls;
    }

    /**
     * Bot API getUpdates: forgets the updates before {@code offset} (a negative offset keeps the last
     * {@code -offset}), then answers the first {@code limit} pending at once, or if there are none waits up to
     * {@code timeoutSeconds} for one. A newer call cuts a waiting one off with Telegram's 409, as only one
     * consumer may poll a bot.
     */
    synchronized SimulatedAnswer getUpdates(long offset, int limit, int timeoutSeconds) {
        if (offset < 0) {
            while (pending.size() > -offset) {
                pending.removeFirst();
            }
        }
        while (offset > 0 && !pending.isEmpty() && pending.peekFirst().id() < offset) {
            pending.removeFirst();
        }
        long poll = ++polls;
        notifyAll();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            for (long left = deadline - System.nanoTime(); pending.isEmpty() && poll == polls && left > 0;
                    left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server stopping: answer what there is
        }
        if (poll != polls) {
            return TelegramSimulation.error(409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
        }
        StringJoiner result = new StringJoiner(",", "{\"ok\":true,\"result\":[", "]}");
        pending.stream().limit(limit).forEach(update -> result.add(update.json()));
        return SimulatedAnswer.json(200, result.toString());
    }
}
