package dev.photorelay.inbox;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A photo that changed while the relay read it: not finished after all. It is not filed; the inbox route puts it back
 * ({@link Arrivals#putBack}) and it is looked at again at the next poll.
 */
@RegisterForReflection
public class PhotoNotFinished extends Exception {

    private static final long serialVersionUID = 1L;

    PhotoNotFinished() {
        super("the file changed while it was read", null, false, false);
    }
}
