package dev.photorelay.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;

import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoRequests;
import dev.photorelay.media.ImageEnd;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Decides when a file that arrived in the inbox is finished, so that a photo is never taken while a tool is still
 * writing it. A photo is finished when its bytes hold a whole image ({@link ImageEnd}) and it has not changed for
 * {@code relay.inbox.stable-for}: its modification time is that old, or the relay has seen the same size and time
 * for that long. The modification time alone is not trusted, since copy tools keep a source's old time on a file
 * still growing and some set the full size first and fill it later: such a file lacks its image's end.
 * <p>
 * An empty or unfinished file is waited for; one that stays unfinished, unchanged, for
 * {@code relay.inbox.incomplete-after} is taken so that it is filed as truncated. What is not an image at all, or not a
 * regular file (a FIFO, a socket, a device, a link), is taken at once to be refused: nothing is opened but regular
 * files. A look reads a file once per size and time it shows, not once per poll.
 */
@Singleton
@Named("arrivals")
@RegisterForReflection
public class Arrivals {

    private final Map<Path, Look> looks = new ConcurrentHashMap<>();
    private final long stableForMillis;
    private final long incompleteAfterNanos;
    private final TakenPhotos taken;
    private long poll;

    public Arrivals(RelayConfig config, TakenPhotos taken) {
        this.stableForMillis = config.inbox().stableFor().toMillis();
        this.incompleteAfterNanos = config.inbox().incompleteAfter().toNanos();
        this.taken = taken;
    }

    /**
     * What the relay last saw of a file: its size, its times, what its bytes held, and since when it is so. The
     * change time (ctime) moves with every write and cannot be set back, so a file filled in place and given its old
     * modification time again is still seen to have changed.
     */
    private record Look(long size, long modifiedMillis, FileTime changed, ImageEnd.State state, long sinceNanos,
            long poll) {

        boolean shows(BasicFileAttributes attributes, FileTime changedNow) {
            return size == attributes.size() && modifiedMillis == attributes.lastModifiedTime().toMillis()
                    && changed.equals(changedNow);
        }
    }

    /** The file's change time (POSIX {@code st_ctime}); the modification time where the file system has none. */
    private static FileTime changeTime(Path file, BasicFileAttributes attributes) throws IOException {
        try {
            return (FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return attributes.lastModifiedTime();
        }
    }

    /**
     * Looks at a file found by a poll.
     *
     * @param  file        the file, as listed
     * @param  attributes  its attributes, links not followed
     * @return             whether it may be taken now
     * @throws IOException its bytes cannot be read
     */
    boolean mayTake(Path file, BasicFileAttributes attributes) throws IOException {
        if (!attributes.isRegularFile()) {
            return true;
        }
        long now = System.nanoTime();
        FileTime changed = changeTime(file, attributes);
        Look look = looks.get(file);
        if (look == null || !look.shows(attributes, changed)) {
            ImageEnd.State state = attributes.size() == 0 ? ImageEnd.State.INCOMPLETE
                    : attributes.size() > PhotoRequests.MAX_PHOTO_BYTES ? ImageEnd.State.NOT_AN_IMAGE
                    : ImageEnd.of(file);
            look = new Look(attributes.size(), attributes.lastModifiedTime().toMillis(), changed, state, now, poll);
        } else {
            look = new Look(look.size, look.modifiedMillis, look.changed, look.state, look.sinceNanos, poll);
        }
        looks.put(file, look);
        return switch (look.state) {
            case NOT_AN_IMAGE -> true; // refused at once: not an image, or over the size any photo may have
            case COMPLETE -> System.currentTimeMillis() - look.modifiedMillis >= stableForMillis
                    || now - look.sinceNanos >= stableForMillis * 1_000_000;
            case INCOMPLETE -> now - look.sinceNanos >= incompleteAfterNanos;
        };
    }

    /**
     * A taken photo is about to be read: refuses one that stayed unfinished ({@code UNSUPPORTED_MEDIA}, truncated).
     *
     * @throws PhotoDeliveryException the file never became a whole image
     */
    void requireWhole(Path file) throws PhotoDeliveryException {
        Look look = looks.get(file);
        if (look != null && look.state == ImageEnd.State.INCOMPLETE) {
            Duration waited = Duration.ofNanos(System.nanoTime() - look.sinceNanos).withNanos(0);
            throw new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA, (look.size == 0
                    ? "the file is empty" : "the image is truncated: its end is missing")
                    + ", and it has not changed for " + waited.toString().substring(2).toLowerCase()
                    + " (relay.inbox.incomplete-after)");
        }
    }

    /**
     * A taken photo has been read: it must still be as it was when taken, else what was read is not what lies there.
     *
     * @throws PhotoNotFinished it changed meanwhile: it is put back and looked at again
     */
    void requireUnchanged(Path file, BasicFileAttributes attributes) throws PhotoNotFinished, IOException {
        Look look = looks.get(file);
        if (look != null && !look.shows(attributes, changeTime(file, attributes))) {
            throw new PhotoNotFinished();
        }
    }

    /** Route step for a photo that changed while it was read: forgotten, so that it is taken again once finished. */
    public void putBack(Exchange exchange) {
        taken.movedAway(exchange);
        looks.remove(InboxFiles.photoOf(exchange));
    }

    /** The inbox has been polled: files not seen since the poll before are gone, and forgotten. */
    void pollEnded() {
        long ended = poll++;
        looks.values().removeIf(look -> look.poll < ended);
    }

}
