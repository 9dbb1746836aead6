package dev.photorelay.telegram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a photo sent to the bot came from, as its records and outcomes tell it: Telegram's chat and message ids (the
 * message's identity), who sent it and in which chat. Kept in {@code <inbox>/.telegram/<chatId>-<messageId>} while
 * its photo {@code telegram-<chatId>-<messageId>.<ext>} is in the inbox or filed; that file is also what tells the
 * bot's inbox that a message was taken already, should Telegram give it again.
 *
 * @param chatId    Telegram's {@code chat.id}
 * @param messageId Telegram's {@code message_id}, unique within its chat
 * @param from      the sender's @username, else their name
 * @param chat      a group's or channel's title, else the chat's id (camel-telegram's Chat carries no @username)
 * @param file      the photo's path in the inbox
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TelegramOrigin(long chatId, long messageId, String from, String chat, String file) {

    /** The inbox's folder of origins. */
    static final String INDEX = ".telegram";
    private static final Pattern PHOTO = Pattern.compile("telegram-(-?\\d{1,20})-(\\d{1,20})\\.[a-z]{3,4}");

    /** {@code <chatId>-<messageId>}: the message's id in records and outcomes, and its origin's file name. */
    public String id() {
        return chatId + "-" + messageId;
    }

    /** The same origin, its photo at {@code relative} in the inbox. */
    TelegramOrigin at(String relative) {
        return new TelegramOrigin(chatId, messageId, from, chat, relative);
    }

    /** The photo's file name in the inbox folder: {@code telegram-<chatId>-<messageId>.<extension>}. */
    String photoName(String extension) {
        return "telegram-" + id() + "." + extension;
    }

    /**
     * The origin of an inbox photo, if the bot put it there.
     *
     * @param relative the photo's path in the inbox ({@code <folder>/telegram-<chatId>-<messageId>.<ext>})
     * @return its origin; empty for any other photo, or if its origin was not kept (read failures included)
     */
    public static Optional<TelegramOrigin> of(Path inbox, String relative, ObjectMapper json) {
        Matcher photo = PHOTO.matcher(Path.of(relative).getFileName().toString());
        if (!photo.matches()) {
            return Optional.empty();
        }
        Path index = inbox.resolve(INDEX).resolve(photo.group(1) + "-" + photo.group(2));
        try {
            if (!Files.isRegularFile(index, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            TelegramOrigin origin = json.readValue(index.toFile(), TelegramOrigin.class);
            return relative.equals(origin.file()) ? Optional.of(origin) : Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
