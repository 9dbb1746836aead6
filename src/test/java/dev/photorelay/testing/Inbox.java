package dev.photorelay.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The test's view of the watched folder: drop a photo as a user would, then wait for its record. */
public class Inbox {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    Inbox(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Writes the file under a hidden name and renames it into place, as a careful producer does. */
    public Path drop(String relativePath, byte[] content) {
        try {
            Path target = root.resolve(relativePath);
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(".drop-" + System.nanoTime() + ".part");
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds an album folder under a hidden name beside its place, then renames it in whole, as README asks.
     *
     * @param photos file names and contents, in any order
     */
    public Path dropAlbum(String relativeFolder, java.util.Map<String, byte[]> photos) {
        try {
            Path target = root.resolve(relativeFolder);
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(".album-" + System.nanoTime());
            Files.createDirectory(temp);
            for (java.util.Map.Entry<String, byte[]> photo : photos.entrySet()) {
                Files.write(temp.resolve(photo.getKey()), photo.getValue());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void dropSidecar(String relativePath, String json) {
        drop(relativePath + ".json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Waits for the photo to settle in .sent/ and returns its receipt. */
    public JsonNode awaitSent(String relativePath) {
        return awaitSettled(".sent", relativePath, ".receipt.json", true);
    }

    /** Waits for the photo to settle in .failed/ and returns its error record. */
    public JsonNode awaitFailed(String relativePath) {
        return awaitSettled(".failed", relativePath, ".error.json", true);
    }

    /** Waits for the error record of a photo that was gone before it could be filed (so only the record is). */
    public JsonNode awaitFailedOfAVanishedPhoto(String relativePath) {
        return awaitSettled(".failed", relativePath, ".error.json", false);
    }

    public Path sent(String relativePath) {
        return root.resolve(".sent").resolve(relativePath);
    }

    public Path failed(String relativePath) {
        return root.resolve(".failed").resolve(relativePath);
    }

    /** Waits for the record, and the photo if it is filed: the relay writes the record, then moves the photo beside it. */
    private JsonNode awaitSettled(String folder, String relativePath, String recordSuffix, boolean filed) {
        Path photo = root.resolve(folder).resolve(relativePath);
        Path record = root.resolve(folder).resolve(relativePath + recordSuffix);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(record) && (!filed || Files.exists(photo)));
        try {
            return JSON.readTree(record.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
