package dev.photorelay.telegram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.component.telegram.model.Chat;
import org.apache.camel.component.telegram.model.IncomingDocument;
import org.apache.camel.component.telegram.model.IncomingMessage;
import org.apache.camel.component.telegram.model.IncomingPhotoSize;
import org.apache.camel.component.telegram.model.User;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.Folders;
import dev.photorelay.HostFault;
import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.Destinations;
import dev.photorelay.inbox.InboxArchive;
import dev.photorelay.inbox.InboxDrop;
import dev.photorelay.media.MediaType;
import dev.photorelay.operations.DiskWatch;
import dev.photorelay.platforms.Secrets;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The bot's inbox (route {@code telegram-inbound}, fed by camel-telegram's consumer, which long-polls
 * {@code getUpdates}): each photo sent to the bot from an allowed chat, in its largest size, and each image sent as a
 * document, is downloaded and written into the inbox folder of {@code relay.telegram.inbound.destination} as an
 * asynchronous API upload is (forced to disk, with its sidecar), from where the inbox delivers it.
 * <p>
 * Nothing lost, nothing twice: camel-telegram acknowledges an update (moves its {@code offset} past it) only with its
 * next {@code getUpdates}, after this returned; so this returns only once the photo is in the inbox, or once it is
 * refused for good, and tries again (for as long as it takes) while Telegram or the disk fails for now. A message
 * Telegram gives again (the relay died before acknowledging it) is recognised by its origin file
 * ({@link TelegramOrigin}), written before the photo, and is not taken twice.
 */
@Singleton
@Named("telegramInbox")
@RegisterForReflection
public class TelegramInbox {

    /** How long a photo Telegram or the disk fails to give waits before the next try: doubling from 1 s to 1 min. */
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofMinutes(1);
    /** Chats refused so far, each named in the log once (bounded: a flood of chats cannot fill the memory). */
    private static final int REMEMBERED_REFUSALS = 1000;
    /** Bot API, sendPhoto: a caption of "0-1024 characters". */
    static final int MAX_CAPTION = 1024;
    private static final Logger LOG = Logger.getLogger(TelegramInbox.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(caption|from|chat)\\}");

    private final Path inbox;
    private final Optional<String> destination;
    private final Set<String> allowed;
    private final boolean reply;
    private final Optional<String> captionTemplate;
    private final BotApi bot;
    private final Destinations destinations;
    private final Secrets secrets;
    private final DiskWatch disk;
    private final ObjectMapper json;
    private final Set<String> refusedChats = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_REFUSALS;
        }
    });

    /** Reads {@code relay.telegram.inbound.*} and {@code relay.inbox.dir}; the bot's calls go through {@code bot}. */
    public TelegramInbox(RelayConfig config, BotApi bot, Destinations destinations, Secrets secrets, ObjectMapper json,
            DiskWatch disk) {
        this.disk = disk;
        RelayConfig.Inbound inbound = config.telegram().inbound();
        this.inbox = Path.of(config.inbox().dir());
        this.destination = inbound.destination().map(String::trim).filter(d -> !d.isEmpty());
        this.allowed = inbound.allowedChats().orElse(List.of()).stream().map(String::trim).filter(c -> !c.isEmpty())
                .map(TelegramInbox::normalChat).collect(Collectors.toUnmodifiableSet());
        this.reply = inbound.reply();
        this.captionTemplate = inbound.caption();
        this.bot = bot;
        this.destinations = destinations;
        this.secrets = secrets;
        this.json = json;
    }

    /**
     * The route's step for each update: a message's photo is taken into the inbox; anything else is passed over.
     *
     * @throws InterruptedException the relay is stopping before the photo was written: the update is not
     *                              acknowledged, so Telegram gives it again at the next start
     */
    public void take(Exchange exchange) throws InterruptedException {
        if (!(exchange.getMessage().getBody() instanceof IncomingMessage message) || message.getChat() == null
                || message.getMessageId() == null) {
            return; // an edited message, a callback, a channel post without chat: no photo sent to the bot
        }
        long chatId;
        try {
            chatId = Long.parseLong(message.getChat().getId());
        } catch (NumberFormatException notAChat) {
            return;
        }
        if (!allowed(chatId, message.getFrom())) {
            refuse(chatId, message);
            return;
        }
        TelegramOrigin origin = new TelegramOrigin(chatId, message.getMessageId(), sender(message.getFrom()),
                chatName(message.getChat(), chatId), null);
        Optional<String> fileId = image(message, origin);
        if (fileId.isEmpty()) {
            return;
        }
        for (Duration wait = FIRST_WAIT;; wait = min(wait.multipliedBy(2), LONGEST_WAIT)) {
            try {
                put(origin, fileId.get(), message.getCaption());
                return;
            } catch (PhotoDeliveryException refused) {
                LOG.warnf("Telegram message %s from chat %d not relayed: %s %s", origin.id(), chatId, refused.code(),
                        Printable.of(secrets.redact(refused.reason())));
                answer(origin, "Not relayed: " + refused.code());
                return;
            } catch (RuntimeException bug) {
                // not retried (it would fail the same way); logged without the message's content, whose text the
                // route's error handler would print with the exchange
                LOG.errorf("Telegram message %s from chat %d not relayed: %s %s", origin.id(), chatId,
                        ErrorCode.INTERNAL_ERROR, Printable.of(secrets.redact(String.valueOf(bug)), 300));
                answer(origin, "Not relayed: " + ErrorCode.INTERNAL_ERROR);
                return;
            } catch (IOException notNow) {
                if (exchange.getContext().isStopping()) {
                    throw new InterruptedException("stopping");
                }
                if (notNow instanceof HostFault fault) {
                    // the relay's own disk: said once by the disk watch, as for the inbox's own writes
                    disk.report(fault);
                    LOG.debugf("Telegram message %s from chat %d waits for the disk; trying again in %d s",
                            origin.id(), chatId, wait.toSeconds());
                } else {
                    LOG.warnf("Telegram message %s from chat %d: %s; trying again in %d s", origin.id(), chatId,
                            Printable.of(secrets.redact(notNow.getMessage())), wait.toSeconds());
                }
                Thread.sleep(wait.toMillis());
            }
        }
    }

    /**
     * Step after the inbox settled a photo (route {@code inbox}): with {@code relay.telegram.inbound.reply} on, the
     * bot answers the message it came from: delivered, or the error code. Photos the bot did not take, and photos left
     * in the inbox to be tried again (no {@link InboxArchive#SETTLED} property), get no answer.
     */
    public void settled(Exchange exchange) {
        String relative = exchange.getProperty(InboxArchive.SETTLED, String.class);
        if (!reply || relative == null) {
            return;
        }
        ErrorCode code = exchange.getProperty(InboxArchive.SETTLED_CODE, ErrorCode.class);
        TelegramOrigin.of(inbox, relative, json).ifPresent(origin -> answer(origin,
                code == null ? "Delivered." : "Not delivered: " + code));
    }

    /** An allowed chat as it is compared: an id as Telegram's number prints it ({@code 04242} is 4242), a name lower-case. */
    private static String normalChat(String chat) {
        try {
            return Long.toString(Long.parseLong(chat));
        } catch (NumberFormatException name) {
            return chat.toLowerCase(Locale.ROOT);
        }
    }

    /** Who may send: the chat by its id, or the sender by their @username (in a private chat, that is the chat). */
    private boolean allowed(long chatId, User from) {
        return allowed.contains(Long.toString(chatId)) || (from != null && from.getUsername() != null
                && allowed.contains("@" + from.getUsername().toLowerCase(Locale.ROOT)));
    }

    private void refuse(long chatId, IncomingMessage message) {
        boolean first;
        synchronized (refusedChats) {
            first = refusedChats.add(Long.toString(chatId));
        }
        if (first) {
            // the chat only, once: nothing of what was sent, and no answer to each message of a flood
            LOG.infof("Telegram chat %d is not in relay.telegram.inbound.allowed-chats: its messages are ignored",
                    chatId);
            answer(new TelegramOrigin(chatId, message.getMessageId(), null, null, null),
                    "This bot does not take photos from this chat.");
        }
    }

    /** The file to take: the largest size of a photo, or a document that says it is an image; else none. */
    private Optional<String> image(IncomingMessage message, TelegramOrigin origin) {
        List<IncomingPhotoSize> sizes = message.getPhoto();
        if (sizes != null && !sizes.isEmpty()) {
            // Telegram lists them smallest first; the largest by its pixels, then its bytes
            return sizes.stream().filter(size -> size.getFileId() != null)
                    .max(Comparator.comparingLong((IncomingPhotoSize size) -> pixels(size))
                            .thenComparingLong(size -> size.getFileSize() == null ? 0 : size.getFileSize()))
                    .map(IncomingPhotoSize::getFileId);
        }
        IncomingDocument document = message.getDocument();
        if (document != null && document.getFileId() != null) {
            String type = document.getMimeType() == null ? "" : document.getMimeType().toLowerCase(Locale.ROOT);
            if (type.startsWith("image/")) {
                return Optional.of(document.getFileId());
            }
            LOG.infof("Telegram message %s from chat %d ignored: a document of type %s, not an image", origin.id(),
                    origin.chatId(), Printable.of(type.isEmpty() ? "(none)" : type, 80));
            answer(origin, "Not relayed: only photos and images are.");
        }
        return Optional.empty();
    }

    /**
     * Writes the photo into the destination's inbox folder: its origin first, then its sidecar and the photo itself,
     * each forced to disk; a message whose photo is there already (given again by Telegram) is left as it is.
     */
    private void put(TelegramOrigin message, String fileId, String caption)
            throws PhotoDeliveryException, IOException, InterruptedException {
        Path folder = inbox.resolve(destinations.inboxFolder(destination.orElseThrow()));
        Path index = inbox.resolve(TelegramOrigin.INDEX).resolve(message.id());
        Optional<String> earlier = Files.isRegularFile(index, LinkOption.NOFOLLOW_LINKS)
                ? Optional.ofNullable(json.readValue(index.toFile(), TelegramOrigin.class).file())
                : Optional.empty();
        if (earlier.isPresent() && taken(earlier.get())) {
            LOG.infof("Telegram message %s was given again: it was taken before, not again", message.id());
            return;
        }
        byte[] bytes = bot.download(fileId);
        MediaType type = MediaType.sniff(bytes, bytes.length)
                .orElseThrow(() -> new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA,
                        "not a JPEG, PNG, GIF or WebP image"));
        Path photo = folder.resolve(message.photoName(type.extension()));
        String relative = inbox.relativize(photo).toString();
        TelegramOrigin origin = message.at(relative);
        Map<String, Object> sidecar = new LinkedHashMap<>();
        caption(caption, origin).ifPresent(text -> sidecar.put("caption", text));
        HostFault.writing(inbox, () -> {
            Folders.ensure(folder);
            Folders.ensure(index.getParent());
            InboxDrop.place(index, temp -> json.writeValue(temp.toFile(), origin));
            if (!sidecar.isEmpty()) {
                byte[] options = json.writeValueAsBytes(sidecar);
                InboxDrop.place(photo.resolveSibling(photo.getFileName() + ".json"), temp -> Files.write(temp, options));
            }
            InboxDrop.place(photo, temp -> Files.write(temp, bytes));
            InboxDrop.force(folder);
            return null;
        });
        LOG.infof("Telegram message %s from chat %d: photo of %d bytes put into the inbox as %s", message.id(),
                message.chatId(), bytes.length, Printable.of(relative));
    }

    /** Whether the photo is in the inbox, or filed with its record (written before the photo moves). */
    private boolean taken(String relative) {
        return Files.exists(inbox.resolve(relative), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(InboxArchive.receipt(inbox, relative), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(InboxArchive.errorRecord(inbox, relative), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The photo's own caption, or the template filled in; cut to Telegram's 1024 characters (Bot API, sendPhoto:
     * "0-1024 characters"), the longest caption every platform takes, so that a long own caption in the template
     * does not get the photo refused.
     */
    private Optional<String> caption(String own, TelegramOrigin origin) {
        String text = own == null ? "" : own;
        Map<String, String> values = Map.of("{caption}", text, "{from}", origin.from() == null ? "" : origin.from(),
                "{chat}", origin.chat());
        // in one pass: a placeholder inside the sender's own text stays as they wrote it
        String filled = captionTemplate.map(template -> PLACEHOLDER.matcher(template)
                .replaceAll(match -> Matcher.quoteReplacement(values.get(match.group())))).orElse(text).strip();
        if (filled.isEmpty()) {
            return Optional.empty();
        }
        if (filled.codePointCount(0, filled.length()) > MAX_CAPTION) {
            filled = filled.substring(0, filled.offsetByCodePoints(0, MAX_CAPTION - 1)) + "\u2026";
        }
        return Optional.of(filled);
    }

    /** Answers in the chat if {@code relay.telegram.inbound.reply} is on; a failure to answer is logged only. */
    private void answer(TelegramOrigin origin, String text) {
        if (!reply) {
            return;
        }
        try {
            bot.sendMessage(origin.chatId(), origin.messageId(), text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (PhotoDeliveryException | IOException e) {
            LOG.warnf("Telegram: could not answer message %s in chat %d: %s", origin.id(), origin.chatId(),
                    Printable.of(secrets.redact(e.getMessage())));
        }
    }

    private static String sender(User from) {
        if (from == null) {
            return null;
        }
        if (from.getUsername() != null && !from.getUsername().isBlank()) {
            return "@" + from.getUsername();
        }
        String name = ((from.getFirstName() == null ? "" : from.getFirstName()) + " "
                + (from.getLastName() == null ? "" : from.getLastName())).strip();
        return name.isEmpty() ? null : name;
    }

    private static String chatName(Chat chat, long chatId) {
        return chat.getTitle() != null && !chat.getTitle().isBlank() ? chat.getTitle() : Long.toString(chatId);
    }

    private static long pixels(IncomingPhotoSize size) {
        return size.getWidth() == null || size.getHeight() == null ? 0 : (long) size.getWidth() * size.getHeight();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
