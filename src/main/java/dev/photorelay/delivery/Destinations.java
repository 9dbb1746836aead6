package dev.photorelay.delivery;

import dev.photorelay.Printable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import dev.photorelay.RelayConfig;

/** Turns a target and recipient, or an alias from {@code relay.destinations.*}, into recipients. */
@Singleton
public class Destinations {

    private final RelayConfig config;

    public Destinations(RelayConfig config) {
        this.config = config;
    }

    public List<Recipient> resolve(String target, String recipient, String destination) throws PhotoDeliveryException {
        if (destination != null && !destination.isBlank()) {
            if (target != null || recipient != null) {
                throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                        "give either " + PhotoHeaders.DESTINATION + " or " + PhotoHeaders.TARGET + " and "
                                + PhotoHeaders.RECIPIENT + ", not both");
            }
            return alias(destination);
        }
        if (target == null || target.isBlank()) {
            throw new PhotoDeliveryException(ErrorCode.UNKNOWN_DESTINATION,
                    "no destination: set " + PhotoHeaders.TARGET + " and " + PhotoHeaders.RECIPIENT + ", or "
                            + PhotoHeaders.DESTINATION);
        }
        if (recipient == null || recipient.isBlank()) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "no recipient given for target '"
                    + Printable.of(target, 80) + "'");
        }
        return List.of(Recipient.of(target, recipient));
    }

    /**
     * The inbox folder a photo for these is dropped into (README "Folder layout"): {@code <alias>}, or
     * {@code <target>/<recipient>}, checked as {@link #resolve} checks them.
     *
     * @return the folder, relative to the inbox
     * @throws PhotoDeliveryException as {@link #resolve}
     */
    public String inboxFolder(String target, String recipient, String alias) throws PhotoDeliveryException {
        List<Recipient> recipients = resolve(target, recipient, alias);
        return alias != null && !alias.isBlank() ? alias : recipients.get(0).target().id() + "/" + recipients.get(0).id();
    }

    /**
     * {@link #inboxFolder(String, String, String)} for a destination given as one value: an alias, or
     * {@code target:recipient} (as {@code relay.telegram.inbound.destination} is).
     */
    public String inboxFolder(String destination) throws PhotoDeliveryException {
        String to = destination.trim();
        int colon = to.indexOf(':');
        return colon < 0 ? inboxFolder(null, null, to)
                : inboxFolder(to.substring(0, colon).trim(), to.substring(colon + 1).trim(), null);
    }

    private List<Recipient> alias(String alias) throws PhotoDeliveryException {
        String entries = config.destinations().get(alias);
        if (entries == null || entries.isBlank()) {
            throw new PhotoDeliveryException(ErrorCode.UNKNOWN_DESTINATION,
                    "no destination named '" + Printable.of(alias, 80) + "' (set relay.destinations."
                            + Printable.of(alias, 80) + ")");
        }
        // the same recipient listed twice still gets the photo once
        Set<Recipient> recipients = new LinkedHashSet<>();
        for (String entry : entries.split(",")) {
            if (!entry.isBlank()) {
                try {
                    recipients.add(Recipient.parse(entry.trim()));
                } catch (PhotoDeliveryException e) {
                    throw new PhotoDeliveryException(ErrorCode.UNKNOWN_DESTINATION,
                            "relay.destinations." + alias + ": " + e.reason());
                }
            }
        }
        if (recipients.isEmpty()) {
            throw new PhotoDeliveryException(ErrorCode.UNKNOWN_DESTINATION,
                    "relay.destinations." + alias + " lists no recipients");
        }
        return new ArrayList<>(recipients);
    }
}
