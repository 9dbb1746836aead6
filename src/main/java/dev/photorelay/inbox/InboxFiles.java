package dev.photorelay.inbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.DeliveryJournal;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoHeaders;
import dev.photorelay.delivery.SendOption;
import dev.photorelay.delivery.PhotoKey;
import dev.photorelay.delivery.PhotoRequests;
import dev.photorelay.delivery.Target;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reads where a dropped photo goes from its place in the inbox ({@code <target>/<recipient>/<file>} or
 * {@code <alias>/<file>}) and its options from the optional sidecar {@code <file>.json}, as the headers of
 * {@code direct:send-photo}.
 */
@Singleton
@Named("inboxFiles")
@RegisterForReflection
public class InboxFiles {

    static final String SIDECAR_SUFFIX = ".json";
    private static final long MAX_SIDECAR_BYTES = 64 * 1024;

    private final ObjectMapper json;
    private final Path inbox;

    public InboxFiles(ObjectMapper json, RelayConfig config) {
        this.json = json;
        this.inbox = Path.of(config.inbox().dir());
    }

    public void describe(Exchange exchange) throws PhotoDeliveryException, IOException {
        Message message = exchange.getMessage();
        String relative = message.getHeader(Exchange.FILE_NAME, String.class);
        String[] parts = relative.split("[/\\\\]");
        switch (parts.length) {
            case 3 -> {
                message.setHeader(PhotoHeaders.TARGET, parts[0]);
                message.setHeader(PhotoHeaders.RECIPIENT, parts[1]);
            }
            case 2 -> {
                if (Target.byId(parts[0]).isPresent()) {
                    throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                            "a photo for " + parts[0] + " goes in a recipient folder: " + parts[0] + "/<recipient>/");
                }
                message.setHeader(PhotoHeaders.DESTINATION, parts[0]);
            }
            case 1 -> throw new PhotoDeliveryException(ErrorCode.UNKNOWN_DESTINATION,
                    "a photo goes in <target>/<recipient>/ or <alias>/, not at the top of the inbox");
            default -> throw new PhotoDeliveryException(ErrorCode.UNKNOWN_DESTINATION,
                    "folders nest too deep: use <target>/<recipient>/ or <alias>/");
        }
        Path photo = Path.of(message.getHeader(Exchange.FILE_PATH, String.class));
        requireNoLinks(inbox, photo, parts);
        PhotoRequests.requireWithinMaxSize(photo);
        exchange.setProperty(DeliveryJournal.KEY, new PhotoKey(relative, sha256(photo)));
        readSidecar(sidecarOf(photo), message);
    }

    /**
     * Links are not followed: a link in the inbox could hand any file the relay can read to a platform. The walk does
     * not enter linked folders (InboxGuard); this also catches a folder swapped for a link after the walk passed it.
     * One look at the photo and at each folder between it and the inbox, not a real path (a call per path element).
     */
    static void requireNoLinks(Path inbox, Path photo, String[] parts) throws PhotoDeliveryException {
        if (Files.isSymbolicLink(photo)) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                    "is a symbolic link; the relay sends only files that are in the inbox, and does not follow links");
        }
        Path folder = inbox;
        for (int i = 0; i < parts.length - 1; i++) {
            folder = folder.resolve(parts[i]);
            if (Files.isSymbolicLink(folder)) {
                throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                        "lies outside the inbox through a linked folder; the relay does not follow links");
            }
        }
    }

    private static String sha256(Path photo) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(photo)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static Path sidecarOf(Path photo) {
        return photo.resolveSibling(photo.getFileName() + SIDECAR_SUFFIX);
    }

    private void readSidecar(Path sidecar, Message message) throws PhotoDeliveryException, IOException {
        if (!Files.isRegularFile(sidecar)) {
            return;
        }
        String name = sidecar.getFileName().toString();
        if (Files.size(sidecar) > MAX_SIDECAR_BYTES) {
            throw invalid(name, "is larger than " + MAX_SIDECAR_BYTES + " bytes");
        }
        JsonNode options;
        try {
            options = json.readTree(Files.readAllBytes(sidecar));
        } catch (JsonProcessingException e) {
            throw invalid(name, "is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (options == null || !options.isObject()) {
            throw invalid(name, "must hold a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            SendOption option = SendOption.byField(field.getKey()).orElseThrow(() -> invalid(name,
                    "has an unknown option '" + field.getKey() + "' (known: " + SendOption.fields() + ")"));
            Object value = option.fromJson(field.getValue());
            if (value == null) {
                throw invalid(name, option.mustBe());
            }
            message.setHeader(option.header(), value);
        }
    }

    private static PhotoDeliveryException invalid(String sidecar, String why) {
        return new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "sidecar " + sidecar + " " + why);
    }
}
