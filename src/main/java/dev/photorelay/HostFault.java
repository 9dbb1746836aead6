package dev.photorelay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A fault of the relay's own host: one of its own folders or files could not be written (a full disk, a read-only
 * file system, an I/O error). Neither the photo's fault nor the platform's: it is {@code INTERNAL_ERROR}, and the
 * inbox defers such a photo until the fault is gone (see {@code DiskWatch}). A photo's own file that vanished or
 * cannot be read is not one of these.
 */
public class HostFault extends IOException {

    private final transient Path folder;

    /**
     * @param folder the relay's folder that could not be written
     * @param cause  what the file system answered
     */
    public HostFault(Path folder, IOException cause) {
        super("cannot write to " + folder + ": " + describe(cause), cause);
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** What the file system said, in words: "no space left on device", "read-only file system", ... */
    public static String describe(IOException cause) {
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) {
            return "the disk is full (no space left on device)";
        }
        if (lower.contains("read-only file system")) {
            return "the file system is read-only";
        }
        if (lower.contains("disk quota")) {
            return "the disk quota is used up";
        }
        if (cause instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file is in the way of " + text;
        }
        if (cause instanceof java.nio.file.AccessDeniedException) {
            return "permission denied for " + text;
        }
        return cause.getClass().getSimpleName() + ": " + text;
    }

    /** Runs a write to one of the relay's own folders; its {@link IOException} becomes a {@link HostFault}. */
    public static <T> T writing(Path folder, Write<T> write) throws HostFault {
        try {
            return write.run();
        } catch (HostFault fault) {
            throw fault;
        } catch (IOException e) {
            throw new HostFault(folder, e);
        }
    }

    /** A write that may fail with an {@link IOException}. */
    public interface Write<T> {
        T run() throws IOException;
    }
}
