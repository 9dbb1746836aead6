package dev.photorelay.inbox;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The inbox photos being sent right now (by path), so that a poll does not take one again meanwhile. */
@Singleton
@Named("photosInProgress")
@RegisterForReflection
public class PhotosInProgress extends RememberedKeys {

    /** Camel's own default for a file consumer's in-progress photos. */
    private static final int LIMIT = 50_000;

    public PhotosInProgress() {
        super(LIMIT);
    }
}
