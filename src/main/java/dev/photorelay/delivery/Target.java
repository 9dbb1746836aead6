package dev.photorelay.delivery;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/** The platforms a photo can go to, with the shape of a valid recipient on each. */
public enum Target {
    /** A chat id (negative for groups and channels) or an @channel username (a group too). */
    TELEGRAM("telegram", "-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31}", "-.*|@.*", false),
    /** Phone digits with country code, or a group id ({@code 120363019502650977-group}, legacy {@code 5511...-1234}). */
    ZAPI("zapi", "[0-9]{6,20}(-[0-9]{6,20}|-group)?", ".*-.*", false),
    /** A Sonoran API id such as {@code STEAM:1234} or {@code DISCORD:1234}; no groups; limited per community. */
    SONORAN("sonoran", "[A-Za-z0-9][A-Za-z0-9:_.@-]{0,127}", "(?!)", true);

    private final String id;
    private final Pattern recipient;
    private final Pattern group;
    private final boolean limitedAsAWhole;

    Target(String id, String recipient, String group, boolean limitedAsAWhole) {
        this.id = id;
        this.recipient = Pattern.compile(recipient);
        this.group = Pattern.compile(group);
        this.limitedAsAWhole = limitedAsAWhole;
    }

    public String id() {
        return id;
    }

    public boolean acceptsRecipient(String value) {
        return value != null && recipient.matcher(value).matches();
    }

    /** A group or channel, which platforms pace apart from one-to-one chats. */
    public boolean isGroup(String recipientId) {
        return group.matcher(recipientId).matches();
    }

    /** Its rate limit (a 429) holds every recipient, not only the one refused. */
    public boolean limitedAsAWhole() {
        return limitedAsAWhole;
    }

    public static Optional<Target> byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
