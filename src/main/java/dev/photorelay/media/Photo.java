package dev.photorelay.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;

/**
 * The photo to send: either content we hold and upload or publish ourselves (a file, read where it lies, or
 * bytes in memory), or a link the platform fetches itself (an http(s) URL or a Telegram file_id).
 */
public sealed interface Photo permits Photo.Content, Photo.Link {

    /**
     * Content held by the relay. Exactly one of {@code file} and {@code bytes} is set; {@code read} is the file's state
     * when it was read (null for bytes).
     */
    record Content(String fileName, ImageInfo image, long size, Path file, FileState read, byte[] bytes)
            implements Photo {

        /**
         * A file is sent only as it was when the photo was read: one written again since (truncated, refilled by a
         * tool, even at the same size under its old time) is refused, so that a photo is never sent half rewritten.
         * Asked before each attempt; bytes held in memory cannot change.
         *
         * @throws PhotoDeliveryException {@code INVALID_REQUEST}: the file changed, or is gone
         * @throws IOException             its attributes cannot be read
         */
        public void requireUnchanged() throws PhotoDeliveryException, IOException {
            if (file == null) {
                return;
            }
            FileState now;
            try {
                now = FileState.of(file);
            } catch (NoSuchFileException gone) {
                throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                        "the file disappeared before it could be sent");
            }
            if (!read.unchangedIn(now)) {
                throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "the file was written again after the "
                        + "relay took it, so it was not sent as it is now; write photos elsewhere and rename them into "
                        + "the inbox");
            }
        }

        public InputStream open() throws IOException {
            return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(bytes);
        }

        public MediaType type() {
            return image.type();
        }
    }

    /** A photo the platform fetches by itself. */
    record Link(String value, boolean url) implements Photo {
    }
}
