package dev.photorelay.simulator;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.photorelay.media.MediaType;

/**
 * Telegram's {@code sendPhoto}, {@code sendDocument} and {@code sendMediaGroup}, Z-API's {@code send-image} and
 * Sonoran's {@code send_photo}, answering as the real services do: each validates a request the way its
 * documentation and observed behaviour say (fields, credentials, the image itself, fetching a URL it is given) and
 * refuses with its own status and wording. Every photo it takes in, accepted or refused, goes to the listener, each
 * photo of an album on its own.
 * <p>
 * Telegram also plays users writing to the bot: {@link #sendToBot} puts a message in the bot's updates, which
 * the relay reads as with the real Bot API, {@code getUpdates} (long polling), {@code getFile} and the download at
 * {@code /file/bot<token>/<file_path>}. These calls are not photos taken in: the listener does not hear of them.
 * <p>
 * It is plain JDK code without a server of its own: the demo profile mounts it on the relay's HTTP port and the
 * benchmark on a JDK {@code HttpServer}, so both run the same platforms.
 */
public final class PlatformSimulator {

    /** Telegram's limit for a photo; the simulator applies it to every platform. */
    static final int MAX_PHOTO_BYTES = 10 * 1024 * 1024;

    private static final Pattern TELEGRAM = Pattern.compile("/bot([^/]*)/([^/]+)");
    private static final Pattern TELEGRAM_FILE = Pattern.compile("/file/bot([^/]*)/(.+)");
    private static final Pattern ZAPI = Pattern.compile("/instances/([^/]+)/token/([^/]+)/([^/]+)");
    private static final Pattern SONORAN = Pattern.compile("/general/([^/]+)");

    private final TelegramSimulation telegram;
    private final ZapiSimulation zapi;
    private final SonoranSimulation sonoran;

    /**
     * @param credentials what the simulated platforms accept
     * @param mediaHost   which photo URLs are the relay's media host: the only URLs fetched (Telegram is refused
     *                    others in its own words, Sonoran too)
     * @param listener    every photo taken in, accepted or refused, called on the thread answering its call
     */
    public PlatformSimulator(PlatformCredentials credentials, Predicate<String> mediaHost, Consumer<Received> listener) {
        PhotoFetcher fetcher = new PhotoFetcher(MAX_PHOTO_BYTES, mediaHost);
        AtomicLong albums = new AtomicLong();
        Supplier<String> albumIds = () -> Long.toString(albums.incrementAndGet());
        telegram = new TelegramSimulation(credentials, fetcher, albumIds, listener);
        zapi = new ZapiSimulation(credentials, listener);
        sonoran = new SonoranSimulation(credentials, fetcher, albumIds, listener);
    }

    /** Answers one call; a path no platform has is a plain 404. */
    public SimulatedAnswer answer(SimulatedCall call) {
        Matcher path;
        if ((path = TELEGRAM.matcher(call.path())).matches()) {
            return telegram.answer(call, path.group(1), path.group(2));
        }
        if ((path = TELEGRAM_FILE.matcher(call.path())).matches()) {
            return telegram.download(path.group(1), path.group(2));
        }
        if ((path = ZAPI.matcher(call.path())).matches()) {
            return zapi.answer(call, path.group(1), path.group(2), path.group(3));
        }
        if ((path = SONORAN.matcher(call.path())).matches()) {
            return sonoran.answer(call, path.group(1));
        }
        return SimulatedAnswer.text(404, "Not Found");
    }

    /**
     * A message a user sends the bot, as Telegram gives it to the bot: the next update of {@code getUpdates}, with the
     * photo's sizes (a JPEG thumbnail for each of Telegram's small sizes under the photo's, then the photo as given,
     * smallest first) or the file as a document, each size a file {@code getFile} and the download serve. The chat is
     * the user's private chat with the bot, whose id is the user's (Bot API: Chat, User). Pending updates are the
     * last 100, their files the last 300 and 64 MB; a file over the bots' 20 MB download limit is listed but only its
     * size is kept (getFile refuses it, as Telegram does).
     *
     * @param chatId       the user's id, positive: the chat's and the sender's {@code id}
     * @param fromUsername the sender's username, with or without its {@code @}; {@code null} for a user without one
     * @param caption      the caption, up to 1024 characters; {@code null} or empty for none
     * @param content      the image (as a photo: one the JDK's ImageIO reads, up to Telegram's 10 MB for photos), or
     *                     any file (as a document)
     * @param asDocument   sent "as a file": the message has a {@code document}, not a {@code photo}
     * @param fileName     the document's {@code file_name} ({@code null} for none); ignored for a photo
     * @return the message's {@code update_id}, above every one before it
     * @throws IllegalArgumentException for what no Telegram client would send, saying what
     */
    public long sendToBot(long chatId, String fromUsername, String caption, byte[] content, boolean asDocument,
            String fileName) {
        return telegram.sendToBot(chatId, fromUsername, caption, content, asDocument, fileName);
    }

    /** The image's media type, from its leading bytes, or {@code null} if the bytes are not an image. */
    static String imageType(byte[] photo) {
        return MediaType.sniff(photo, photo.length).map(MediaType::mime).orElse(null);
    }

    /** {@code text} as a JSON string. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A {@link Received} for a call, filled in by each platform as far as it read the request. */
    static final class Intake {

        private final String platform;
        private final SimulatedCall call;
        private final Consumer<Received> listener;
        String recipient;
        String caption;
        String album;
        int albumIndex;
        String mediaType;
        byte[] photo;
        String imageUrl;
        long fetchedBytes;

        Intake(String platform, SimulatedCall call, Consumer<Received> listener) {
            this.platform = platform;
            this.call = call;
            this.listener = listener;
        }

        /** Photo {@code index} of {@code album} in the same call, to the same recipient, not taken in yet. */
        Intake albumItem(String album, int index) {
            Intake item = new Intake(platform, call, listener);
            item.recipient = recipient;
            item.album = album;
            item.albumIndex = index;
            return item;
        }

        /** Records the photo with the answer, and returns the answer. */
        SimulatedAnswer answered(SimulatedAnswer answer) {
            listener.accept(new Received(Instant.now(), platform, recipient, caption, album, albumIndex, mediaType,
                    photo, imageUrl, call.body().length, fetchedBytes, answer, call.receivedAt()));
            return answer;
        }

        /** Records each photo of an album, in order, with the call's one answer, and returns the answer. */
        static SimulatedAnswer answered(List<Intake> album, SimulatedAnswer answer) {
            album.forEach(photo -> photo.answered(answer));
            return answer;
        }
    }

    /** getUpdates calls the simulated bot has had so far: a test waits on it until a long poll is waiting. */
    long botPolls() {
        return telegram.botPolls();
    }
}
