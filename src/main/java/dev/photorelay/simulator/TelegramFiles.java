package dev.photorelay.simulator;

import static dev.photorelay.simulator.PlatformSimulator.quote;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.photorelay.media.MediaType;

/**
 * The files the simulated Telegram holds, each under a {@code file_id} and a {@code file_path}: photos the relay sent
 * (so that it may send one again by its {@code file_id}) and the files of messages sent to the bot (so that the relay
 * can download them: Bot API getFile, then {@code GET /file/bot<token>/<file_path>}). Memory is bounded: the last
 * {@value #KEPT} files, their bytes {@value #BYTES_KEPT} bytes in all, the least recently used dropped first (its
 * {@code file_id} is then unknown). A file over the Bot API's download limit ({@value #MAX_DOWNLOAD} bytes) keeps
 * only its size: no bot can download it, so its bytes would never be read.
 */
final class TelegramFiles {

    /** Bot API, getFile: "bots can download files of up to 20MB in size". */
    static final int MAX_DOWNLOAD = 20 * 1024 * 1024;
    /** The files of the last 100 messages sent to the bot, 3 sizes each: what the inbox keeps of its updates. */
    static final int KEPT = 300;
    /** The demo keeps the photos the platforms received up to the same total (README, "Try it without accounts"). */
    static final long BYTES_KEPT = 64L * 1024 * 1024;

    /**
     * One file.
     *
     * @param path where it is downloaded below {@code /file/bot<token>/}, e.g. {@code photos/file_12.jpg}
     * @param bytes its content, {@code null} for a file over {@link #MAX_DOWNLOAD}
     */
    record File(String id, String uniqueId, String path, long size, byte[] bytes) {

        /** Its {@code file_id}, {@code file_unique_id} and {@code file_size}: the JSON fields of a PhotoSize, Document and File. */
        String fields() {
            return "\"file_id\":" + quote(id) + ",\"file_unique_id\":" + quote(uniqueId) + ",\"file_size\":" + size;
        }
    }

    private static final Pattern EXTENSION = Pattern.compile("\\.([A-Za-z0-9]{1,8})$");

    private final Map<String, File> files = new LinkedHashMap<>(KEPT, 0.75f, true);
    private long numbers;
    private long bytesKept;

    /**
     * Keeps {@code bytes} as a new file in {@code folder} ({@code photos} or {@code documents}, as Telegram names
     * them); returns it. Its path ends in the image's extension, else in that of {@code fileName} (may be
     * {@code null}), as Telegram's paths do ({@code documents/file_3.pdf}).
     */
    synchronized File add(String folder, byte[] bytes, String fileName) {
        long number = ++numbers;
        String id = "SIM" + Long.toString(number, 36) + "-" + bytes.length;
        String extension = MediaType.sniff(bytes, bytes.length).map(MediaType::extension)
                .orElseGet(() -> extension(fileName));
        File file = new File(id, "SIMU" + Long.toString(number, 36),
                folder + "/file_" + number + (extension.isEmpty() ? "" : "." + extension), bytes.length,
                bytes.length > MAX_DOWNLOAD ? null : bytes);
        files.put(id, file);
        bytesKept += file.bytes() == null ? 0 : bytes.length;
        Iterator<File> oldest = files.values().iterator();
        while (files.size() > KEPT || bytesKept > BYTES_KEPT) {
            File dropped = oldest.next();
            bytesKept -= dropped.bytes() == null ? 0 : dropped.size();
            oldest.remove();
        }
        return file;
    }

    private static String extension(String fileName) {
        Matcher extension = EXTENSION.matcher(fileName == null ? "" : fileName);
        return extension.find() ? extension.group(1).toLowerCase(Locale.ROOT) : "";
    }

    /** The file with this {@code file_id}, or {@code null} if there is none (or no longer). */
    synchronized File byId(String id) {
        return files.get(id);
    }

    /** The file downloaded at this {@code file_path}, or {@code null}; a lookup does not count as a use. */
    synchronized File byPath(String path) {
        return files.values().stream().filter(file -> file.path().equals(path)).findFirst().orElse(null);
    }
}
