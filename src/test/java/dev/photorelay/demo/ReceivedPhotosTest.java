package dev.photorelay.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.simulator.Received;
import dev.photorelay.simulator.SimulatedAnswer;

/** The demo keeps what the platforms received within a bound: photos past it are let go, not just hidden. */
class ReceivedPhotosTest {

    private static final int PHOTO = 8 * 1024 * 1024;

    @Test
    void photosBeyondTheKeptBytesAreFreedWhileTheirDetailsStay() {
        ReceivedPhotos received = new ReceivedPhotos(r -> null);
        byte[] first = new byte[PHOTO];
        WeakReference<byte[]> firstPhoto = new WeakReference<>(first);
        received.add(photo(first));
        first = null;
        for (int i = 0; i < ReceivedPhotos.PHOTO_BYTES_KEPT / PHOTO + 1; i++) {
            received.add(photo(new byte[PHOTO]));
        }

        assertThat(received.photo(1)).isEmpty();
        assertThat(received.toJson(new ObjectMapper()).get(
                (int) (ReceivedPhotos.PHOTO_BYTES_KEPT / PHOTO + 1)).get("bytes").asInt()).isEqualTo(PHOTO);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return firstPhoto.get() == null;
        });
    }

    private static Received photo(byte[] bytes) {
        return new Received(Instant.now(), "telegram", "100200300", null, null, 0, "image/jpeg", bytes, null,
                bytes.length, 0, new SimulatedAnswer(200, "application/json", "{\"ok\":true}"), 0);
    }
}
