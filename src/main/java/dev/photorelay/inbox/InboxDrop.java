package dev.photorelay.inbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * How the relay itself drops a file into the inbox (an API upload with {@code Prefer: respond-async}, a photo sent to
 * the bot): as README asks of anyone, under a hidden temporary name, forced to disk, then renamed into place, so that
 * the inbox never sees it half done and a crash leaves either the whole file or none.
 */
public final class InboxDrop {

    /** Writes a temporary file's content. */
    @FunctionalInterface
    public interface Filler {
        /** Writes the content into {@code temp}, a new file; an {@link IOException} leaves nothing behind. */
        void into(Path temp) throws IOException;
    }

    private InboxDrop() {
    }

    /**
     * Fills {@code .<name>.part} beside {@code file}, forces it to disk and renames it to {@code file} (replacing it).
     *
     * @throws IOException the file could not be written; no temporary file is left behind
     */
    public static void place(Path file, Filler fill) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".part");
        try {
            fill.into(temp);
            force(temp);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp); // a full disk leaves no half-written part behind
            throw e;
        }
    }

    /** Forces a file, or a folder's entries where the system allows it, to disk; a folder that cannot be is left. */
    public static void force(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // a folder cannot be forced on every system; the file itself was
        }
    }
}
