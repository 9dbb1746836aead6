package dev.photorelay.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Thrown by the router for a target it has no route for: a bug, since targets are checked on the way in. */
@RegisterForReflection
public class UnroutableTargetException extends RuntimeException {

    public UnroutableTargetException(String message) {
        super(message);
    }
}
