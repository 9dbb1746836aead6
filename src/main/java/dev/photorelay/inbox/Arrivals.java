package dev.photorelay.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoRequests;
import dev.photorelay.media.FileState;
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
    /** Album folders: what they held when last looked at, and since when. */
    private final Map<Path, AlbumLook> albums = new ConcurrentHashMap<>();
    /** Album folders being sent: not taken again, whatever is added to them or taken from them meanwhile. */
    private final Set<Path> albumsInFlight = ConcurrentHashMap.newKeySet();
    private final long stableForMillis;
    private final long incompleteAfterNanos;
    private final TakenPhotos taken;
    private final InboxWakeups wakeups;
    private long poll;
    /**
     * When the current poll began: every file of a poll is judged at this one instant, so that of two files written
     * a moment apart the older is never found ready after the newer (the walk visits them in no set order).
     */
    private volatile long pollNanos = System.nanoTime();
    private volatile long pollMillis = System.currentTimeMillis();

    public Arrivals(RelayConfig config, TakenPhotos taken, InboxWakeups wakeups) {
        this.wakeups = wakeups;
        this.stableForMillis = config.inbox().stableFor().toMillis();
        this.incompleteAfterNanos = config.inbox().incompleteAfter().toNanos();
        this.taken = taken;
    }

    /** What the relay last saw of a file, what its bytes held, and since when it is so. */
    private record Look(FileState state, ImageEnd.State image, long sinceNanos, long poll) {
    }

    /**
     * What an album folder held (its entries' names, sizes and times), and since when, unchanged; its photos in order,
     * the first of which stands for it.
     */
    private record AlbumLook(String entries, List<Path> photos, Path first, long sinceNanos, long poll) {
    }

    /**
     * Looks at an album folder, found by a poll through one of its files: the album is taken through its first photo
     * by name, once every photo in it is finished ({@link #mayTake}), no file in it has a temporary name (a tool still
     * copying; one unchanged for {@code relay.inbox.incomplete-after} no longer counts), and nothing in it was added,
     * removed or changed for {@code relay.inbox.stable-for}.
     *
     * @param  file        the file the poll found, inside the album folder
     * @return             whether the poll takes this file, standing for the whole album, now
     * @throws IOException the folder cannot be listed
     */
    boolean mayTakeAlbum(Path file) throws IOException {
        Path folder = file.getParent();
        if (albumsInFlight.contains(folder)
                || InboxNames.kindOf(folder.getFileName().toString()) == InboxNames.Kind.TEMPORARY) {
            return false; // being sent; or a folder under a tool's temporary name (inc.part), still being filled
        }
        AlbumLook seen = albums.get(folder);
        if (seen != null && seen.poll == poll && !file.equals(seen.first)) {
            return false; // looked at in this poll already, through another of its files
        }
        List<Path> photos = new ArrayList<>();
        Path first = null;
        StringBuilder entries = new StringBuilder();
        boolean finished = true;
        long now = pollNanos;
        long newest = Files.getLastModifiedTime(folder, LinkOption.NOFOLLOW_LINKS).toMillis();
        for (Path entry : InboxFiles.listSorted(folder)) {
            String name = entry.getFileName().toString();
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException gone) {
                return false;
            }
            if (attributes.isDirectory()) {
                continue; // no part of the album: the files in it are refused as nested too deep
            }
            entries.append(name).append('\0').append(attributes.size()).append('\0')
                    .append(attributes.lastModifiedTime().toMillis()).append('\n');
            newest = Math.max(newest, attributes.lastModifiedTime().toMillis());
            switch (InboxNames.kindOf(name)) {
                case PHOTO -> {
                    photos.add(entry);
                    finished &= mayTake(entry, attributes);
                    // it stands for the album if the consumer offers it: not a link to a folder (read, it fails the
                    // album as the link it is)
                    if (first == null && !Files.isDirectory(entry)) {
                        first = entry;
                    }
                }
                case TEMPORARY -> finished &= pollMillis
                        - attributes.lastModifiedTime().toMillis() >= incompleteAfterNanos / 1_000_000;
                default -> {
                    // leftovers are no part of it; a sidecar in it is refused when the album is read
                }
            }
        }
        AlbumLook look = seen == null || !seen.entries.equals(entries.toString())
                ? new AlbumLook(entries.toString(), List.copyOf(photos), first, now, poll)
                : new AlbumLook(seen.entries, List.copyOf(photos), first, seen.sinceNanos, poll);
        albums.put(folder, look);
        // only its first photo stands for it; like a photo, it is ready once nothing in it (nor the folder's own list
        // of names) has changed for stable-for, by the times it shows or as the relay has seen it
        return file.equals(look.first) && finished
                && stable(Math.max(now - look.sinceNanos, (pollMillis - newest) * 1_000_000));
    }

    /**
     * Whether what has not changed for {@code unchangedNanos} may be taken; if not yet, a poll is asked for when it
     * may, so that it does not wait for the next interval's.
     */
    private boolean stable(long unchangedNanos) {
        long left = stableForMillis * 1_000_000 - unchangedNanos;
        if (left > 0) {
            wakeups.wakeIn(left);
        }
        return left <= 0;
    }

    /**
     * An album taken by a poll is about to be read: answers its photos as they were found finished, and keeps the
     * folder from being taken again until the exchange is done (photos added or renamed meanwhile wait for that).
     *
     * @return the album's photos, in order
     */
    List<Path> takeAlbum(Exchange exchange, Path folder) {
        albumsInFlight.add(folder);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                albumsInFlight.remove(folder);
            }
        });
        AlbumLook look = albums.get(folder);
        return look == null ? List.of() : look.photos;
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
        long now = pollNanos;
        FileState state = FileState.of(file, LinkOption.NOFOLLOW_LINKS);
        Look look = looks.get(file);
        if (look == null || !look.state.unchangedIn(state)) {
            ImageEnd.State image = state.size() == 0 ? ImageEnd.State.INCOMPLETE
                    : state.size() > PhotoRequests.MAX_PHOTO_BYTES ? ImageEnd.State.NOT_AN_IMAGE
                    : ImageEnd.of(file);
            look = new Look(state, image, now, poll);
        } else {
            look = new Look(look.state, look.image, look.sinceNanos, poll);
        }
        looks.put(file, look);
        return switch (look.image) {
            case NOT_AN_IMAGE -> true; // refused at once: not an image, or over the size any photo may have
            case COMPLETE -> stable(Math.max(now - look.sinceNanos,
                    (pollMillis - look.state.modified().toMillis()) * 1_000_000));
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
        if (look != null && look.image == ImageEnd.State.INCOMPLETE) {
            Duration waited = Duration.ofNanos(System.nanoTime() - look.sinceNanos).withNanos(0);
            throw new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA, (look.state.size() == 0
                    ? "truncated: the file is empty" : "the image is truncated: its end is missing")
                    + ", and it has not changed for " + waited.toString().substring(2).toLowerCase()
                    + " (relay.inbox.incomplete-after)");
        }
    }

    /**
     * A taken photo has been read: it must still be as it was when taken, else what was read is not what lies there.
     *
     * @throws PhotoNotFinished it changed meanwhile: it is put back and looked at again
     */
    void requireUnchanged(Path file, FileState now) throws PhotoNotFinished {
        Look look = looks.get(file);
        if (look != null && !look.state.unchangedIn(now)) {
            throw new PhotoNotFinished();
        }
    }

    /** Route step for a photo that changed while it was read: forgotten, so that it is taken again once finished. */
    public void putBack(Exchange exchange) {
        taken.movedAway(exchange);
        Path photo = InboxFiles.photoOf(exchange);
        looks.remove(photo);
        albums.remove(photo);
    }

    /** A poll of the inbox begins (see {@link #pollNanos}). */
    void pollStarted() {
        pollNanos = System.nanoTime();
        pollMillis = System.currentTimeMillis();
    }

    /** The inbox has been polled: files not seen since the poll before are gone, and forgotten. */
    void pollEnded() {
        long ended = poll++;
        looks.values().removeIf(look -> look.poll < ended);
        albums.values().removeIf(look -> look.poll < ended);
    }

}
