package dev.photorelay.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A photo under a file name of the caller's, as an item of an album's {@code List} body (the {@code PhotoFileName}
 * header names a single photo): an upload kept under a random name, bytes that have none.
 *
 * @param fileName the name platforms are given (its last path segment, made safe)
 * @param photo    anything a photo body may be: {@code byte[]}, {@code InputStream}, {@code File}, {@code Path},
 *                 {@code String}
 */
@RegisterForReflection
public record NamedPhoto(String fileName, Object photo) {
}
