package dev.photorelay.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The photo to send: either content we hold and upload or publish ourselves (a file, read where it lies, or
 * bytes in memory), or a link the platform fetches itself (an http(s) URL or a Telegram file_id).
 */
public sealed interface Photo permits Photo.Content, Photo.Link {

    /** Content held by the relay. Exactly one of {@code file} and {@code bytes} is set. */
    record Content(String fileName, ImageInfo image, long size, Path file, byte[] bytes) implements Photo {

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
