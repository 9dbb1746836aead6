package dev.photorelay.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A photo in the inbox, known again after a restart: where it lies (relative to the inbox) and what it holds. */
@RegisterForReflection
public record PhotoKey(String photo, String sha256) {
}
