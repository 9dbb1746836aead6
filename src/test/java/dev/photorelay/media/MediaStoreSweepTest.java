package dev.photorelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The media store's expiry sweep survives any name in the store: an unexpected one is passed over, the rest expire. */
@QuarkusTest
class MediaStoreSweepTest {

    @Inject
    MediaHost media;

    @ConfigProperty(name = "relay.media.dir")
    String store;

    @Test
    void aNameWithAnImpossibleTimeDoesNotStopExpiredPhotosFromBeingDeleted() throws IOException {
        Path folder = Files.createDirectories(Path.of(store));
        // several of each, mixed in the folder's own order: a sweep that stops at an impossible time misses some
        List<Path> impossible = new ArrayList<>();
        List<Path> expired = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            impossible.add(Files.write(folder.resolve(token(Long.MAX_VALUE - i)), new byte[] { 1 }));
            expired.add(Files.write(folder.resolve(token(Instant.now().minusSeconds(3 * 86400 + i).getEpochSecond())),
                    new byte[] { 1 }));
        }
        Path stranger = Files.write(folder.resolve("notes.txt"), new byte[] { 1 });
        Path fresh = Files.write(folder.resolve(token(Instant.now().getEpochSecond())), new byte[] { 1 });

        media.deleteExpired();

        assertThat(expired).allMatch(Files::notExists);
        assertThat(impossible).allMatch(Files::exists);
        assertThat(fresh).exists();
        assertThat(stranger).exists();
        for (Path left : impossible) {
            Files.delete(left);
        }
        Files.delete(stranger);
        Files.delete(fresh);
    }

    /** A media token as the relay makes one: the publish time in its first 8 bytes. */
    private static String token(long epochSecond) {
        byte[] bits = new byte[32];
        new Random().nextBytes(bits);
        ByteBuffer.wrap(bits).putLong(epochSecond);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }
}
