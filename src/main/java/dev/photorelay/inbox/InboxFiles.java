package dev.photorelay.inbox;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.file.GenericFile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.DeliveryJournal;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoHeaders;
import dev.photorelay.delivery.SendOption;
import dev.photorelay.delivery.PhotoKey;
import dev.photorelay.delivery.PhotoRequests;
import dev.photorelay.delivery.Target;
import dev.photorelay.media.FileState;
import dev.photorelay.media.Sha256;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reads where a dropped photo goes from its place in the inbox ({@code <target>/<recipient>/<file>} or
 * {@code <alias>/<file>}) and its options from the optional sidecar {@code <file>.json}, as the headers of
 * {@code direct:send-photo}. A folder one level further down is an album ({@code <target>/<recipient>/<album>/},
 * {@code <alias>/<album>/}, options in {@code <album>.json}): its photos by name become a {@code List} body.
 */
@Singleton
@Named("inboxFiles")
@RegisterForReflection
public class InboxFiles {

    static final String SIDECAR_SUFFIX = ".json";
    /** Exchange property: the photo's path as listed. */
    static final String PHOTO = "inboxPhoto";
    /** Exchange property: an album's photo file names, in order. */
    static final String ALBUM_PHOTOS = "inboxAlbumPhotos";
    /** Exchange property: each album photo's {@link FileState} when it was read and hashed, by name, in order. */
    static final String ALBUM_READ_AS = "inboxAlbumReadAs";
    /** Exchange property: the photo's {@link FileState} when it was read and hashed. */
    static final String READ_AS = "photoReadAs";
    private static final long MAX_SIDECAR_BYTES = 64 * 1024;

    /** Sidecars are one JSON object: text after it is refused too, not passed over. */
    private final ObjectReader sidecars;
    private final Path inbox;
    private final Arrivals arrivals;
    private final InboxPolls polls;

    public InboxFiles(ObjectMapper json, RelayConfig config, Arrivals arrivals, InboxPolls polls) {
        this.sidecars = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.inbox = Path.of(config.inbox().dir());
        this.arrivals = arrivals;
        this.polls = polls;
    }

    public void describe(Exchange exchange) throws PhotoDeliveryException, PhotoNotFinished, IOException {
        Message message = exchange.getMessage();
        // the file as listed: Camel's file name headers turn a backslash in a name into a folder separator
        Path file = message.getBody(GenericFile.class).getFile() instanceof File listed ? listed.toPath()
                : Path.of(message.getHeader(Exchange.FILE_PATH, String.class));
        boolean album = inAlbum(inbox.toAbsolutePath().relativize(file.toAbsolutePath()).toString());
        // an album is taken through its first photo, and stands for its folder from here on
        Path photo = album ? file.getParent() : file;
        exchange.setProperty(PHOTO, photo);
        String relative = relativeName(exchange);
        String[] parts = relative.split(Pattern.quote(File.separator));
        // the folders naming the destination: those above the photo (or above the album's folder)
        switch (parts.length - 1) {
            case 2 -> {
                message.setHeader(PhotoHeaders.TARGET, parts[0]);
                message.setHeader(PhotoHeaders.RECIPIENT, parts[1]);
            }
            case 1 -> {
                if (Target.byId(parts[0]).isPresent()) {
                    throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                            "a photo for " + parts[0] + " goes in a recipient folder: " + parts[0] + "/<recipient>/");
                }
                message.setHeader(PhotoHeaders.DESTINATION, parts[0]);
            }
            case 0 -> throw new PhotoDeliveryException(ErrorCode.UNKNOWN_DESTINATION,
                    "a photo goes in <target>/<recipient>/ or <alias>/, not at the top of the inbox");
            default -> throw new PhotoDeliveryException(ErrorCode.UNKNOWN_DESTINATION,
                    "folders nest too deep: use <target>/<recipient>/ or <alias>/ (an album: one folder more)");
        }
        polls.at(relative);
        // an album's own folder is looked at too
        requireNoLinkedFolders(inbox, album ? Arrays.copyOf(parts, parts.length + 1) : parts);
        if (album) {
            describeAlbum(exchange, photo, relative);
        } else {
            BasicFileAttributes attributes = requireRegularFile(photo);
            arrivals.requireWhole(photo);
            PhotoRequests.requireWithinMaxSize(attributes.size());
            String sha256 = sha256(photo);
            FileState read = FileState.of(photo, LinkOption.NOFOLLOW_LINKS);
            arrivals.requireUnchanged(photo, read);
            exchange.setProperty(DeliveryJournal.KEY, new PhotoKey(relative, sha256));
            exchange.setProperty(READ_AS, read);
        }
        readSidecar(sidecarOf(photo), message);
    }

    /**
     * An album folder ({@code <target>/<recipient>/<album>/} or {@code <alias>/<album>/}): its photos by name as the
     * body (a {@code List}), each checked as a single photo is and the first that fails the check failing the album,
     * named; its key for the journal hashes every photo's name and bytes. Options go in {@code <album>.json} beside
     * the folder: a sidecar inside it is refused rather than passed over.
     */
    private void describeAlbum(Exchange exchange, Path folder, String relative)
            throws PhotoDeliveryException, PhotoNotFinished, IOException {
        for (Path entry : listSorted(folder)) {
            String name = entry.getFileName().toString();
            if (InboxNames.kindOf(name) == InboxNames.Kind.SIDECAR) {
                throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "the album holds " + Printable.of(name)
                        + "; an album's options go in " + Printable.of(folder.getFileName() + SIDECAR_SUFFIX)
                        + " beside its folder");
            }
        }
        // the photos found finished when the album was taken: one that came since is not part of it
        List<Path> photos = arrivals.takeAlbum(exchange, folder);
        Map<String, FileState> readAs = new LinkedHashMap<>();
        List<String> shas = new ArrayList<>();
        for (Path photo : photos) {
            String name = photo.getFileName().toString();
            try {
                BasicFileAttributes attributes = requireRegularFile(photo);
                arrivals.requireWhole(photo);
                PhotoRequests.requireWithinMaxSize(attributes.size());
            } catch (PhotoDeliveryException refused) {
                throw new PhotoDeliveryException(refused.code(), "photo " + Printable.of(name) + " of the album: "
                        + refused.reason());
            }
            shas.add(sha256(photo));
            FileState read = FileState.of(photo, LinkOption.NOFOLLOW_LINKS);
            arrivals.requireUnchanged(photo, read);
            readAs.put(name, read);
        }
        exchange.setProperty(DeliveryJournal.KEY, new PhotoKey(relative, albumSha256(photos, shas)));
        exchange.setProperty(ALBUM_PHOTOS, List.copyOf(readAs.keySet()));
        exchange.setProperty(ALBUM_READ_AS, readAs);
        exchange.getMessage().setBody(photos);
    }

    /** An album's SHA-256: of its photos' names and SHA-256s, in order. */
    static String albumSha256(List<Path> photos) throws IOException {
        List<String> shas = new ArrayList<>();
        for (Path photo : photos) {
            shas.add(sha256(photo));
        }
        return albumSha256(photos, shas);
    }

    private static String albumSha256(List<Path> photos, List<String> shas) {
        MessageDigest album = Sha256.digest();
        for (int i = 0; i < photos.size(); i++) {
            album.update((photos.get(i).getFileName() + "\0" + shas.get(i) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(album.digest());
    }

    /**
     * Whether a file found in the inbox lies in an album folder: {@code <target>/<recipient>/<album>/<file>} or
     * {@code <alias>/<album>/<file>}.
     *
     * @param relative the file's path relative to the inbox
     */
    static boolean inAlbum(String relative) {
        return albumDepth(relative, 1);
    }

    /** Whether a folder in the inbox is an album's: {@code <target>/<recipient>/<album>} or {@code <alias>/<album>}. */
    static boolean isAlbumFolder(String relative) {
        return albumDepth(relative, 0);
    }

    private static boolean albumDepth(String relative, int below) {
        String[] parts = relative.split(Pattern.quote(File.separator));
        return parts.length == (Target.byId(parts[0]).isPresent() ? 3 : 2) + below;
    }

    /**
     * A folder's entries ordered by name, byte by byte in UTF-8 (as {@code ls} in the C locale orders them): an album's
     * photo order.
     */
    static List<Path> listSorted(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted(BY_NAME).toList();
        }
    }

    static final Comparator<Path> BY_NAME = (a, b) -> Arrays.compareUnsigned(
            a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
            b.getFileName().toString().getBytes(StandardCharsets.UTF_8));

    /**
     * Only regular files are opened: a link could hand any file the relay can read to a platform, and opening a FIFO
     * or a device can block the inbox for good. Asked without following links.
     */
    static BasicFileAttributes requireRegularFile(Path photo) throws PhotoDeliveryException, IOException {
        BasicFileAttributes attributes = attributes(photo);
        if (attributes.isSymbolicLink()) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                    "is a symbolic link; the relay sends only files that are in the inbox, and does not follow links");
        }
        if (!attributes.isRegularFile()) {
            throw new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA,
                    "is " + specialKind(photo) + ", not a regular file; the relay never opens one");
        }
        return attributes;
    }

    private static BasicFileAttributes attributes(Path photo) throws PhotoDeliveryException, IOException {
        try {
            return Files.readAttributes(photo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                    "the file disappeared before it could be read");
        }
    }

    /** What kind of special file, from its mode's type bits (POSIX {@code st_mode}); a folder's file type is no photo. */
    private static String specialKind(Path file) {
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0140000 -> "a socket";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0040000 -> "a folder";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    /**
     * Linked folders are not followed either: the walk does not enter them (InboxGuard); this also catches a folder
     * swapped for a link after the walk passed it. One look at each folder between the photo and the inbox.
     */
    static void requireNoLinkedFolders(Path inbox, String[] parts) throws PhotoDeliveryException {
        Path folder = inbox;
        for (int i = 0; i < parts.length - 1; i++) {
            folder = folder.resolve(parts[i]);
            if (Files.isSymbolicLink(folder)) {
                throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                        "lies outside the inbox through a linked folder; the relay does not follow links");
            }
        }
    }

    static String sha256(Path photo) throws IOException {
        try (InputStream in = Files.newInputStream(photo)) {
            return Sha256.of(in);
        }
    }

    /** The photo on this exchange, where it lies in the inbox. */
    static Path photoOf(Exchange exchange) {
        Path photo = exchange.getProperty(PHOTO, Path.class);
        return photo != null ? photo : Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
    }

    /** The photo's path relative to the inbox, as its records and the journal name it. */
    String relativeName(Exchange exchange) {
        return inbox.toAbsolutePath().relativize(photoOf(exchange).toAbsolutePath()).toString();
    }

    static Path sidecarOf(Path photo) {
        return photo.resolveSibling(photo.getFileName() + SIDECAR_SUFFIX);
    }

    /**
     * The sidecar's options as headers. Like the photo, it is read only if it is a regular file in the inbox (a link is
     * refused, not followed), and a refusal never quotes what it holds: the parser's own message would.
     */
    private void readSidecar(Path sidecar, Message message) throws PhotoDeliveryException, IOException {
        if (!InboxNames.fits(sidecar.getFileName().toString())) {
            return; // a photo whose name is nearly as long as names may be cannot have one
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(sidecar, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException none) {
            return;
        }
        String name = Printable.of(sidecar.getFileName().toString());
        if (attributes.isSymbolicLink()) {
            throw invalid(name, "is a symbolic link; the relay does not follow links");
        }
        if (!attributes.isRegularFile()) {
            throw invalid(name, "is " + specialKind(sidecar) + ", not a regular file");
        }
        if (attributes.size() > MAX_SIDECAR_BYTES) {
            throw invalid(name, "is larger than " + MAX_SIDECAR_BYTES + " bytes");
        }
        JsonNode options;
        try {
            options = sidecars.readTree(Files.readAllBytes(sidecar));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw invalid(name, "is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (options == null || !options.isObject()) {
            throw invalid(name, "must hold a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            SendOption option = SendOption.byField(field.getKey()).orElseThrow(() -> invalid(name,
                    "has an option the relay does not know (known: " + SendOption.fields() + ")"));
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
