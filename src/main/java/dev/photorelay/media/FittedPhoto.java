package dev.photorelay.media;

import java.nio.file.Path;

/**
 * A photo re-encoded by {@link PhotoFitter}: a baseline JPEG without metadata, turned as its EXIF orientation said.
 *
 * @param file    where it was written
 * @param width   in pixels, as it now shows
 * @param height  in pixels
 * @param size    in bytes
 * @param quality the JPEG quality it was written with (0 to 1)
 */
public record FittedPhoto(Path file, int width, int height, long size, float quality) {
}
