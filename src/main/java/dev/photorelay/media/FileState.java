package dev.photorelay.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What a file's metadata says about its content, to tell whether it was written since: its size, its modification
 * time, and its change time (POSIX {@code st_ctime}), which every write moves and no tool can set back, so that a file
 * rewritten at the same size and given its old modification time again is still seen to have changed. A second name
 * for the file (the media host publishes a photo as a hard link) also moves the change time: while the file has more
 * than one name, the change time is not compared.
 *
 * @param size     bytes
 * @param modified modification time
 * @param changed  change time (the modification time where the file system has none)
 * @param names    hard links to the file (1 where the file system cannot tell)
 */
public record FileState(long size, FileTime modified, FileTime changed, int names) {

    /**
     * The state of a file: one call to the file system.
     *
     * @param  file        the file
     * @param  options     {@link LinkOption#NOFOLLOW_LINKS} for the link itself, as the inbox looks at files
     * @throws IOException the file cannot be looked at (gone: {@link java.nio.file.NoSuchFileException})
     */
    public static FileState of(Path file, LinkOption... options) throws IOException {
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,nlink", options);
            return new FileState((Long) unix.get("size"), (FileTime) unix.get("lastModifiedTime"),
                    (FileTime) unix.get("ctime"), (Integer) unix.get("nlink"));
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class, options);
            return new FileState(basic.size(), basic.lastModifiedTime(), basic.lastModifiedTime(), 1);
        }
    }

    /** Whether the file shows no sign of having been written since this state was taken. */
    public boolean unchangedIn(FileState now) {
        return size == now.size && modified.equals(now.modified)
                && (names > 1 || now.names > 1 || changed.equals(now.changed));
    }
}
