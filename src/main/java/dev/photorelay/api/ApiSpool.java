package dev.photorelay.api;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.Folders;
import dev.photorelay.HostFault;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.Destinations;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.NamedPhoto;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoHeaders;
import dev.photorelay.delivery.SendOption;
import dev.photorelay.inbox.InboxArchive;
import dev.photorelay.inbox.InboxDrop;
import dev.photorelay.media.DataUri;
import dev.photorelay.media.MediaType;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.jboss.logging.Logger;

/**
 * {@code Prefer: respond-async}: the photo (or album) is written into the inbox (forced to disk, sidecar first) and the call
 * answers {@code 202} at once; from there the inbox delivers it with all its guarantees, and
 * {@code GET /api/photos/<id>} tells its state from where it lies: pending in the inbox, or its record in
 * {@code .sent/} or {@code .failed/}. {@code <inbox>/.api/<id>} remembers where the photo was put.
 */
@Singleton
@Named("apiSpool")
@RegisterForReflection
public class ApiSpool {

    /** Exchange property: the client asked for an answer before delivery. */
    public static final String ASYNC = "apiAsync";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final String INDEX = ".api";
    private static final Logger LOG = Logger.getLogger(ApiSpool.class);

    private final SecureRandom random = new SecureRandom();
    private final Path inbox;
    private final Destinations destinations;
    private final ObjectMapper json;
    private final int maxAlbumPhotos;

    public ApiSpool(RelayConfig config, Destinations destinations, ObjectMapper json) {
        this.inbox = Path.of(config.inbox().dir());
        this.maxAlbumPhotos = config.album().maxPhotos();
        this.destinations = destinations;
        this.json = json;
    }

    /**
     * Writes the photo into the inbox and answers 202 with its id. An album is built in a hidden folder beside its
     * place (its photos named {@code 01.jpg}, {@code 02.png}... in order) and renamed in whole, as the inbox asks of
     * anyone dropping one.
     */
    public void accept(Exchange exchange) throws PhotoDeliveryException, IOException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        List<Spooled> photos = new ArrayList<>();
        if (body instanceof List<?> album) {
            // refused now, as a send without respond-async refuses it, not filed as failed later
            if (album.isEmpty() || album.size() > maxAlbumPhotos) {
                throw invalid(album.isEmpty() ? "the album holds no photo" : "an album may hold at most "
                        + maxAlbumPhotos + " photos (relay.album.max-photos); this one has " + album.size());
            }
            for (Object item : album) {
                photos.add(spooled(item));
            }
        } else {
            photos.add(spooled(body));
        }
        String id = newId();
        Path folder = inbox.resolve(folder(message));
        boolean album = body instanceof List<?>;
        Path photo = folder.resolve("api-" + id + (album ? "" : "." + photos.get(0).type().extension()));
        Map<String, Object> options = options(message);
        // the relay's own writes: a full or read-only disk is INTERNAL_ERROR (503, Retry-After), not the client's fault
        HostFault.writing(inbox, () -> {
            Folders.ensure(folder);
            Folders.ensure(inbox.resolve(INDEX));
            // what the inbox needs first: the index for GET, then the sidecar, then the photo (taken once it is there)
            byte[] location = inbox.relativize(photo).toString().getBytes(StandardCharsets.UTF_8);
            InboxDrop.place(inbox.resolve(INDEX).resolve(id), temp -> Files.write(temp, location));
            if (!options.isEmpty()) {
                byte[] sidecar = json.writeValueAsBytes(options);
                InboxDrop.place(photo.resolveSibling(photo.getFileName() + ".json"), temp -> Files.write(temp, sidecar));
            }
            if (album) {
                placeAlbum(photo, photos);
            } else {
                InboxDrop.place(photo, photos.get(0).fill());
            }
            InboxDrop.force(folder);
            return null;
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("status", "pending");
        ApiProblems.reply(message, 202, "application/json", json.writeValueAsString(answer));
        message.setHeader("Location", "/api/photos/" + id);
    }

    /** A photo to spool: its type (from its first bytes) and how its file is made. */
    private record Spooled(MediaType type, InboxDrop.Filler fill) {
    }

    private static Spooled spooled(Object photo) throws PhotoDeliveryException, IOException {
        Object body = photo instanceof NamedPhoto named ? named.photo() : photo;
        byte[] head;
        InboxDrop.Filler fill;
        if (body instanceof File upload) {
            try (InputStream in = Files.newInputStream(upload.toPath())) {
                head = in.readNBytes(MediaType.SIGNATURE_LENGTH);
            }
            // an upload is moved, not copied: a rename when the uploads folder is on the inbox's file system
            fill = temp -> Files.move(upload.toPath(), temp, StandardCopyOption.REPLACE_EXISTING);
        } else if (body instanceof String text && DataUri.isDataUri(text.trim())) {
            byte[] bytes = DataUri.decode(text.trim());
            head = bytes;
            fill = temp -> Files.write(temp, bytes);
        } else {
            throw invalid("Prefer: respond-async needs the photo itself: upload it, or send a data: URI");
        }
        MediaType type = MediaType.sniff(head, Math.min(head.length, MediaType.SIGNATURE_LENGTH))
                .orElseThrow(() -> new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA,
                        "not a JPEG, PNG, GIF or WebP image"));
        return new Spooled(type, fill);
    }

    /** Fills a hidden folder with the album's photos, then renames it into place whole. */
    private static void placeAlbum(Path album, List<Spooled> photos) throws IOException {
        Path temp = album.resolveSibling("." + album.getFileName() + ".part");
        try {
            Files.createDirectory(temp);
            // numbers as wide as the largest, so that name order is the album's order
            String name = "%0" + Math.max(2, String.valueOf(photos.size()).length()) + "d.%s";
            for (int i = 0; i < photos.size(); i++) {
                InboxDrop.place(temp.resolve(String.format(name, i + 1, photos.get(i).type().extension())), photos.get(i).fill());
            }
            InboxDrop.force(temp);
            Files.move(temp, album, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // a full disk leaves no half-built album behind
            try (var left = Files.list(temp)) {
                for (Path file : left.toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException ignored) {
                // nothing was made
            }
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * What a stop in the middle of writing a photo or an album into the inbox left (the hidden {@code .api-<id>...part}
     * files and folders beside where it was going): never to be finished, so deleted at start.
     */
    void deleteLeftovers(@Observes StartupEvent started) {
        if (!Files.isDirectory(inbox)) {
            return;
        }
        try {
            Files.walkFileTree(inbox, EnumSet.noneOf(FileVisitOption.class), 3,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path folder,
                                BasicFileAttributes attributes) throws IOException {
                            String name = folder.getFileName().toString();
                            if (folder.equals(inbox)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (isLeftover(name)) {
                                deleteTree(folder);
                            }
                            return name.startsWith(".") ? FileVisitResult.SKIP_SUBTREE
                                    : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file,
                                BasicFileAttributes attributes) throws IOException {
                            if (isLeftover(file.getFileName().toString())) {
                                Files.deleteIfExists(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            LOG.warnf("Could not look for unfinished API photos in the inbox: %s", e.getMessage());
        }
    }

    private static boolean isLeftover(String name) {
        return name.startsWith(".api-") && name.endsWith(".part");
    }

    private static void deleteTree(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(folder);
    }

    /** {@code GET /api/photos/<id>}: pending, sent or failed, with the record once there is one. */
    public void state(Exchange exchange) throws IOException, ApiProblem {
        Message message = exchange.getMessage();
        String id = message.getHeader("id", String.class);
        Path index = id != null && ID.matcher(id).matches() ? inbox.resolve(INDEX).resolve(id) : null;
        if (index == null || !Files.isRegularFile(index)) {
            throw new ApiProblem(404, "NOT_FOUND", "no photo with this id");
        }
        String relative = Files.readString(index, StandardCharsets.UTF_8);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        Path receipt = InboxArchive.receipt(inbox, relative);
        Path error = InboxArchive.errorRecord(inbox, relative);
        if (Files.isRegularFile(receipt)) {
            answer.put("status", "sent");
            answer.put("record", json.readTree(receipt.toFile()));
        } else if (Files.isRegularFile(error)) {
            JsonNode record = json.readTree(error.toFile());
            answer.put("status", "failed");
            answer.put("record", record);
        } else {
            answer.put("status", "pending");
        }
        ApiProblems.reply(message, 200, "application/json", json.writeValueAsString(answer));
    }

    /** {@code <target>/<recipient>} or {@code <alias>}, checked as a send would check it. */
    private String folder(Message message) throws PhotoDeliveryException {
        String target = message.getHeader(PhotoHeaders.TARGET, String.class);
        String recipient = message.getHeader(PhotoHeaders.RECIPIENT, String.class);
        String alias = message.getHeader(PhotoHeaders.DESTINATION, String.class);
        return destinations.inboxFolder(target, recipient, alias);
    }

    /** The sidecar: the fields with the types the inbox expects. */
    private static Map<String, Object> options(Message message) throws PhotoDeliveryException {
        Map<String, Object> options = new LinkedHashMap<>();
        for (SendOption option : SendOption.values()) {
            String text = message.getHeader(option.header(), String.class);
            if (text != null) {
                Object value = option.fromText(text);
                if (value == null) {
                    throw invalid(option.mustBe());
                }
                options.put(option.field(), value);
            }
        }
        return options;
    }

    private String newId() {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    private static PhotoDeliveryException invalid(String why) {
        return new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, why);
    }
}
