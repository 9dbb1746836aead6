package dev.photorelay.inbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.photorelay.Printable;

/**
 * What a name in the inbox says about its file, and names the relay gives files it files.
 * <ul>
 * <li>A <b>leftover</b> of an operating system or an office program ({@code Thumbs.db}, {@code desktop.ini},
 * {@code .DS_Store}, {@code Icon\r}, {@code ._*} macOS resource forks, {@code ~$*} lock files, and folders such as
 * Synology's {@code @eaDir} or a recycle bin) is no photo and never will be: ignored, without a record.</li>
 * <li>A <b>temporary</b> name is a file a tool is still writing, to be renamed when done: WinSCP {@code .filepart},
 * Chrome {@code .crdownload}, Firefox {@code .part}, Safari {@code .download}, {@code .partial}, {@code .tmp},
 * {@code .temp}, vim {@code .swp}, editor backups ending {@code ~}, Camel's lock files {@code .camelLock} (which its file
 * consumer never offers), and hidden names (rsync's {@code .name.XXXXXX}, the
 * relay's own {@code .sent} and {@code .failed}). Never taken.</li>
 * <li>A <b>sidecar</b> {@code <photo>.json} goes with its photo.</li>
 * </ul>
 */
public final class InboxNames {

    /** The longest file name most file systems take (ext4, XFS, Btrfs, NTFS, APFS): 255 bytes. */
    static final int MAX_NAME_BYTES = 255;

    private static final Logger LOG = Logger.getLogger(InboxNames.class);
    private static final Set<String> LEFTOVERS = Set.of("thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store",
            "icon\r", ".directory", ".nomedia");
    /** Folders that NAS systems and operating systems keep inside shared folders: thumbnails, recycle bins. */
    private static final Set<String> LEFTOVER_FOLDERS = Set.of("@eadir", "#recycle", "#snapshot", "$recycle.bin",
            "system volume information", "lost+found");
    private static final List<String> TEMPORARY_SUFFIXES = List.of(".filepart", ".crdownload", ".part", ".download",
            ".partial", ".tmp", ".temp", ".swp", "~", ".camellock");
    private static final int HASH_HEX_DIGITS = 16;
    /** Longer than this after the last dot, and it is no extension but part of the name (which may then be cut). */
    private static final int MAX_EXTENSION_LENGTH = 16;

    /** What a file name makes of a file. */
    enum Kind {
        PHOTO, SIDECAR, TEMPORARY, LEFTOVER
    }

    private InboxNames() {
    }

    static Kind kindOf(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (LEFTOVERS.contains(lower) || name.startsWith("._") || name.startsWith("~$")) {
            return Kind.LEFTOVER;
        }
        if (name.startsWith(".")) {
            return Kind.TEMPORARY;
        }
        for (String suffix : TEMPORARY_SUFFIXES) {
            if (lower.endsWith(suffix)) {
                return Kind.TEMPORARY;
            }
        }
        return lower.endsWith(InboxFiles.SIDECAR_SUFFIX) ? Kind.SIDECAR : Kind.PHOTO;
    }

    /** Whether a folder in the inbox is an operating system's or a NAS's own (Synology's {@code @eaDir}, ...). */
    static boolean isLeftoverFolder(String name) {
        return LEFTOVER_FOLDERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether a file in the inbox is a photo to send: not a leftover, temporary name or sidecar. */
    public static boolean isPhoto(String fileName) {
        return kindOf(fileName) == Kind.PHOTO;
    }

    /**
     * A file name that fits {@link #MAX_NAME_BYTES}: {@code stem + ending} when it fits, else the stem cut short (at a
     * character's end) and followed by {@code ~} and 16 hex digits of the SHA-256 of the whole stem, so that two long
     * names that start alike still get names of their own. The ending is kept whole.
     *
     * @param  stem   the part that may be cut
     * @param  ending what must stay at the end ({@code .receipt.json}, {@code -1.jpg})
     * @return        a name of at most 255 UTF-8 bytes
     */
    static String fitted(String stem, String ending) {
        int endingBytes = utf8Length(ending);
        if (fits(stem + ending)) {
            return stem + ending;
        }
        int room = MAX_NAME_BYTES - endingBytes - 1 - HASH_HEX_DIGITS;
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < stem.length();) {
            int codePoint = stem.codePointAt(i);
            int length = utf8Length(new String(Character.toChars(codePoint)));
            if (bytes + length > room) {
                break;
            }
            cut.appendCodePoint(codePoint);
            bytes += length;
            i += Character.charCount(codePoint);
        }
        return cut + "~" + sha256Hex(stem).substring(0, HASH_HEX_DIGITS) + ending;
    }

    /** Whether a file system takes this name (at most {@link #MAX_NAME_BYTES} in UTF-8). */
    static boolean fits(String name) {
        return utf8Length(name) <= MAX_NAME_BYTES;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Renames the entries of a folder whose names Java cannot address: bytes that are not valid UTF-8 (a name from a
     * Latin-1 system, a broken archive) are read as U+FFFD, and the file cannot be opened by that name. The file
     * system's own entry (which keeps the bytes) is renamed, each such character becoming {@code _}, so that the file
     * is then taken like any other. One INFO line per rename.
     *
     * @param  folder      the folder that listed such a name
     * @throws IOException the folder cannot be read or an entry cannot be renamed
     */
    static void renameUnreadable(Path folder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.indexOf('\uFFFD') < 0 || Files.exists(folder.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String readable = name.replace('\uFFFD', '_');
                Path target = folder.resolve(readable);
                for (int n = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
                    target = folder.resolve(withNumber(readable, n));
                }
                Files.move(entry, target);
                LOG.infof("Renamed %s to %s in the inbox: its name was not valid UTF-8", Printable.of(name),
                        Printable.of(target.getFileName().toString()));
            }
        }
    }

    /** {@code cat.jpg} becomes {@code cat-1.jpg}, within {@link #MAX_NAME_BYTES}. */
    static String withNumber(String name, int n) {
        int dot = name.lastIndexOf('.');
        boolean extended = dot > 0 && name.length() - dot <= MAX_EXTENSION_LENGTH;
        String stem = extended ? name.substring(0, dot) : name;
        String extension = extended ? name.substring(dot) : "";
        return fitted(stem, "-" + n + extension);
    }
}
