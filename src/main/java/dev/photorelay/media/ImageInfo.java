package dev.photorelay.media;

/** What the image header says: format and pixel size. */
public record ImageInfo(MediaType type, int width, int height) {
}
