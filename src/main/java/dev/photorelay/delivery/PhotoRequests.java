package dev.photorelay.delivery;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.WrappedFile;

import dev.photorelay.media.DataUri;
import dev.photorelay.media.FileState;
import dev.photorelay.media.ImageHeader;
import dev.photorelay.media.ImageInfo;
import dev.photorelay.media.Photo;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The first step of {@code direct:send-photo}: reads the headers and body into a {@link PhotoRequest} (kept as
 * an exchange property) and answers the recipients to fan out to. Everything that is wrong with the photo
 * itself fails here, before any platform is called; for an album (a {@code List} body, each item anything a single
 * photo may be, or a {@link NamedPhoto}), anything wrong with any of its photos fails it whole, naming that photo.
 */
@Singleton
@Named("photoRequests")
@RegisterForReflection
public class PhotoRequests {

    /**
     * The largest photo file taken at all: Telegram's limit for documents sent by bots, the most any platform takes
     * (a larger photo can still be fitted for the others). Checked from a file's size, never by reading it.
     */
    public static final int MAX_PHOTO_BYTES = 50 * 1024 * 1024;
    /** The largest photo held in memory (a stream, bytes, a data URI): twice Telegram's 10 MB photo upload limit. */
    public static final int MAX_IN_MEMORY_BYTES = 20 * 1024 * 1024;
    /** Enough for most images' headers in one read; a long metadata segment is skipped past, not read. */
    private static final int HEADER_BUFFER_BYTES = 2048;
    private static final Set<String> PARSE_MODES = Set.of("HTML", "Markdown", "MarkdownV2");

    private final Destinations destinations;
    private final int maxAlbumPhotos;

    public PhotoRequests(Destinations destinations, RelayConfig config) {
        this.destinations = destinations;
        this.maxAlbumPhotos = config.album().maxPhotos();
    }

    public List<Recipient> read(Exchange exchange) throws PhotoDeliveryException, IOException {
        Message in = exchange.getMessage();
        List<Recipient> recipients = destinations.resolve(text(in, PhotoHeaders.TARGET), text(in, PhotoHeaders.RECIPIENT),
                text(in, PhotoHeaders.DESTINATION));
        SendOptions options = options(in);
        Object body = in.getBody();
        PhotoRequest request = body instanceof List<?> items
                ? new PhotoRequest(album(items), true, options, recipients)
                : new PhotoRequest(List.of(photo(body, text(in, PhotoHeaders.FILE_NAME))), false, options, recipients);
        exchange.setProperty(PhotoRequest.PROPERTY, request);
        return recipients;
    }

    /** Step of each fan-out branch: remembers which recipient, on which target, the branch delivers to. */
    public void select(Exchange exchange) {
        Recipient recipient = exchange.getMessage().getBody(Recipient.class);
        PhotoRequest request = exchange.getProperty(PhotoRequest.PROPERTY, PhotoRequest.class);
        exchange.setProperty(PhotoRequest.RECIPIENT, recipient);
        exchange.setProperty(PhotoRequest.TARGET, recipient.target().id());
        exchange.setProperty(Adjustments.PROPERTY, new Adjustments());
        exchange.setProperty(AlbumDelivery.PROPERTY,
                new AlbumDelivery(request, request.preparedFor(recipient.target())));
    }

    /** Every photo of an album, in order; the first that cannot be read fails the album, named in the reason. */
    private List<Photo> album(List<?> items) throws PhotoDeliveryException, IOException {
        if (items.isEmpty()) {
            throw invalid("the album holds no photo");
        }
        if (items.size() > maxAlbumPhotos) {
            throw invalid("an album may hold at most " + maxAlbumPhotos + " photos (relay.album.max-photos); this one "
                    + "has " + items.size());
        }
        List<Photo> photos = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            NamedPhoto named = item instanceof NamedPhoto given ? given : null;
            String name = named != null ? named.fileName() : null;
            try {
                Photo photo = named != null ? photo(named.photo(), name) : photo(item, null);
                // bytes without a name are told apart in the records by their place: photo-2.jpg
                if (name == null && photo instanceof Photo.Content content && content.file() == null) {
                    photo = new Photo.Content("photo-" + (i + 1) + "." + content.type().extension(), content.image(),
                            content.size(), null, null, content.bytes());
                }
                photos.add(photo);
            } catch (PhotoDeliveryException refused) {
                throw new PhotoDeliveryException(refused.code(), "photo " + (i + 1) + " of the album"
                        + (name != null ? " (" + Printable.of(safeName(name)) + ")" : itemName(item)) + ": "
                        + refused.reason());
            }
        }
        return photos;
    }

    /** How an album's item is named in a refusal: by its file's name, if it is a file. */
    private static String itemName(Object item) {
        Path path = item instanceof File file ? file.toPath() : item instanceof Path p ? p : null;
        if (item instanceof WrappedFile<?> wrapped && wrapped.getFile() instanceof File file) {
            path = file.toPath();
        }
        return path == null || path.getFileName() == null ? "" : " (" + Printable.of(path.getFileName().toString()) + ")";
    }

    private static SendOptions options(Message in) throws PhotoDeliveryException {
        String parseMode = text(in, PhotoHeaders.PARSE_MODE);
        if (parseMode != null && !PARSE_MODES.contains(parseMode)) {
            throw invalid(PhotoHeaders.PARSE_MODE + " must be one of " + PARSE_MODES);
        }
        Integer delay = integer(in, PhotoHeaders.DELAY_SECONDS);
        if (delay != null && (delay < 1 || delay > 15)) {
            throw invalid(PhotoHeaders.DELAY_SECONDS + " must be between 1 and 15");
        }
        return new SendOptions(text(in, PhotoHeaders.CAPTION), text(in, PhotoHeaders.REPLY_TO),
                bool(in, PhotoHeaders.VIEW_ONCE), delay, parseMode, bool(in, PhotoHeaders.AS_DOCUMENT));
    }

    private static Photo photo(Object body, String fileName) throws PhotoDeliveryException, IOException {
        if (body instanceof WrappedFile<?> wrapped && wrapped.getFile() instanceof File file) {
            return fromFile(file.toPath(), null);
        }
        // a File or Path body named by the caller (an upload kept under a random name): sent under that name
        if (body instanceof File file) {
            return fromFile(file.toPath(), fileName);
        }
        if (body instanceof Path path) {
            return fromFile(path, fileName);
        }
        if (body instanceof byte[] bytes) {
            return fromBytes(bytes, fileName);
        }
        if (body instanceof InputStream stream) {
            try (stream) {
                byte[] bytes = stream.readNBytes(MAX_IN_MEMORY_BYTES + 1);
                if (bytes.length > MAX_IN_MEMORY_BYTES) {
                    throw new PhotoDeliveryException(ErrorCode.PAYLOAD_TOO_LARGE,
                            "a streamed photo may be at most " + MAX_IN_MEMORY_BYTES + " bytes");
                }
                return fromBytes(bytes, fileName);
            }
        }
        if (body instanceof String text) {
            String value = text.trim();
            if (value.isEmpty()) {
                throw invalid("the message body is an empty string");
            }
            if (DataUri.isDataUri(value)) {
                return fromBytes(DataUri.decode(value), fileName);
            }
            boolean url = value.startsWith("https://") || value.startsWith("http://");
            return new Photo.Link(value, url);
        }
        throw invalid(body == null ? "the message body holds no photo"
                : "a photo body must be byte[], InputStream, File, Path or String (or a List of them, an album), not "
                        + body.getClass().getName());
    }

    private static Photo fromFile(Path file, String fileName) throws PhotoDeliveryException, IOException {
        try {
            // the size first: a file over the limit is refused unread
            FileState read = FileState.of(file);
            requireWithinMaxSize(read.size());
            // buffered: a JPEG's header is read a byte at a time between the segments it skips
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), HEADER_BUFFER_BYTES)) {
                return new Photo.Content(fileName != null ? safeName(fileName) : file.getFileName().toString(),
                        ImageHeader.read(in), read.size(), file, read, null);
            }
        } catch (NoSuchFileException e) {
            throw invalid("the file " + Printable.of(file.getFileName().toString()) + " disappeared before it could be read");
        }
    }

    /**
     * Refuses a file over {@link #MAX_PHOTO_BYTES} from its size alone.
     *
     * @param  size                   a photo's size in bytes
     * @return                        the size
     * @throws PhotoDeliveryException {@code PAYLOAD_TOO_LARGE} over {@link #MAX_PHOTO_BYTES}
     */
    public static long requireWithinMaxSize(long size) throws PhotoDeliveryException {
        if (size > MAX_PHOTO_BYTES) {
            throw new PhotoDeliveryException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "a photo may be at most " + MAX_PHOTO_BYTES + " bytes; this one has " + size);
        }
        return size;
    }

    private static Photo fromBytes(byte[] bytes, String fileName) throws PhotoDeliveryException, IOException {
        if (bytes.length > MAX_IN_MEMORY_BYTES) {
            throw new PhotoDeliveryException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "a photo held in memory may be at most " + MAX_IN_MEMORY_BYTES + " bytes; this one has "
                            + bytes.length);
        }
        ImageInfo image = ImageHeader.read(new ByteArrayInputStream(bytes));
        String name = fileName != null ? safeName(fileName) : "photo." + image.type().extension();
        return new Photo.Content(name, image, bytes.length, null, null, bytes);
    }

    /**
     * A caller's file name as it may go into a platform's request (a multipart {@code filename}): its last path
     * segment, without control characters, quotes or backslashes, at most 255 characters; "photo" if nothing is left.
     */
    static String safeName(String fileName) {
        String last = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        String safe = last.codePoints().map(c -> Character.isISOControl(c) || c == '"' || c == '\\' ? '_' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (safe.length() > 255) {
            safe = safe.substring(safe.length() - 255);
        }
        return safe.isEmpty() || safe.equals(".") || safe.equals("..") ? "photo" : safe;
    }

    private static String text(Message in, String header) {
        Object value = in.getHeader(header);
        return value == null ? null : value.toString();
    }

    private static Integer integer(Message in, String header) throws PhotoDeliveryException {
        Object value = in.getHeader(header);
        if (value == null || value instanceof Integer) {
            return (Integer) value;
        }
        try {
            return Integer.valueOf(value.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(header + " must be a whole number, not '" + Printable.of(value.toString(), 80) + "'");
        }
    }

    private static Boolean bool(Message in, String header) throws PhotoDeliveryException {
        Object value = in.getHeader(header);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        return switch (value.toString().trim().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(header + " must be true or false, not '" + Printable.of(value.toString(), 80) + "'");
        };
    }

    private static PhotoDeliveryException invalid(String why) {
        return new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, why);
    }
}
