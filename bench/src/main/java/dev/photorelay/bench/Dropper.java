package dev.photorelay.bench;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The producer: puts photos into the inbox the safe way (written elsewhere, then renamed in), noting when each
 * rename happened on {@link System#nanoTime()}. For the bursts, photos are staged beforehand as hard links to the
 * cached set (a copy where linking is not possible), so staging costs no time in a measured run, and keeps the set's
 * modification times: older than any stable-for, so neither the relay nor the baseline waits for the file to settle.
 * For the paced (latency) run they are staged as copies of their own, each given the time of its rename as its
 * modification time just before it, as a producer that writes a photo and renames it in at once makes it: the relay
 * then waits its whole stable-for.
 */
final class Dropper {

    /** A photo waiting in the staging folder, and where in the inbox it goes. */
    record Staged(int photoId, Path staged, Path destination) {
    }

    private final PhotoSet photos;
    private final Workspace workspace;
    private final boolean markerInCaption;

    Dropper(PhotoSet photos, Workspace workspace) {
        this(photos, workspace, false);
    }

    /**
     * @param markerInCaption each photo also gets a sidecar whose caption is its marker: a photo the relay re-encodes
     *                        (fitted) loses the marker in its bytes, and the fake finds it in the caption instead
     */
    Dropper(PhotoSet photos, Workspace workspace, boolean markerInCaption) {
        this.photos = photos;
        this.workspace = workspace;
        this.markerInCaption = markerInCaption;
    }

    /**
     * Stages photos {@code ids} for a run called {@code phase} (a prefix of the file names, unique per run): photo
     * {@code ids[i]} goes to {@code folderOf(i)}.
     */
    List<Staged> stage(String phase, List<Integer> ids, IntFunction<String> folderOf) throws IOException {
        return stage(phase, ids, folderOf, false);
    }

    /** As {@link #stage(String, List, IntFunction)}; {@code copies}: files of their own, to be given fresh times. */
    List<Staged> stage(String phase, List<Integer> ids, IntFunction<String> folderOf, boolean copies)
            throws IOException {
        List<Staged> staged = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            int id = ids.get(i);
            String name = String.format("%s-%06d.jpg", phase, id);
            Path file = workspace.staging().resolve(name);
            if (copies) {
                Files.copy(photos.file(id), file);
            } else {
                link(photos.file(id), file);
            }
            Path destination = workspace.inbox().resolve(folderOf.apply(i)).resolve(name);
            if (markerInCaption) {
                // the sidecar waits in the inbox before its photo: the relay reads it when the photo arrives
                Files.writeString(destination.resolveSibling(name + ".json"), "{\"caption\": \""
                        + new String(PhotoMarker.of(id), java.nio.charset.StandardCharsets.US_ASCII) + "\"}");
            }
            staged.add(new Staged(id, file, destination));
        }
        return staged;
    }

    private static void link(Path original, Path link) throws IOException {
        try {
            Files.createLink(link, original);
        } catch (FileSystemException | UnsupportedOperationException notLinkable) {
            Files.copy(original, link, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** All at once, as fast as renames go; returns each photo's rename time. */
    long[] burst(List<Staged> photos) throws IOException {
        return Pace.allAtOnce(photos.size(), i -> Files.move(photos.get(i).staged(), photos.get(i).destination(),
                StandardCopyOption.ATOMIC_MOVE));
    }

    /**
     * At {@code perSecond}, each on its schedule (not drifting when one is late), each with the time of its rename as
     * its modification time; returns each photo's rename time.
     *
     * @param photos staged as copies ({@code stage(..., true)}): a link's time is the cached photo's too
     */
    long[] paced(List<Staged> photos, int perSecond) throws IOException {
        return Pace.steady(photos.size(), perSecond, i -> {
            Files.setLastModifiedTime(photos.get(i).staged(), FileTime.from(Instant.now()));
            Files.move(photos.get(i).staged(), photos.get(i).destination(), StandardCopyOption.ATOMIC_MOVE);
        });
    }
}
