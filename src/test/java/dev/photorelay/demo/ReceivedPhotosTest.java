package dev.photorelay.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.simulator.Received;
import dev.photorelay.simulator.SimulatedAnswer;
import dev.photorelay.testing.TestImages;

/**
 * The demo keeps what the platforms received within a bound: photos past it are let go, not just hidden. It shows
 * the photos of an album as one entry.
 */
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
        assertThat(received.toJson(new ObjectMapper()).get((int) (ReceivedPhotos.PHOTO_BYTES_KEPT / PHOTO + 1))
                .get("photos").get(0).get("bytes").asInt()).isEqualTo(PHOTO);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return firstPhoto.get() == null;
        });
    }

    @Test
    void thePhotosOfAnAlbumShowAsOneEntryInTheAlbumsOrder() {
        ReceivedPhotos received = new ReceivedPhotos(r -> null);
        received.add(photo(new byte[1])); // 1
        received.add(albumPhoto("7", 0, "100200300", "Scene")); // 2
        received.add(photo(new byte[1])); // 3, while the album comes in
        received.add(albumPhoto("7", 2, "100200300", null)); // 4
        received.add(albumPhoto("7", 1, "100200300", null)); // 5

        JsonNode entries = received.toJson(new ObjectMapper());

        assertThat(entries).extracting(entry -> entry.get("number").asLong()).containsExactly(5L, 3L, 1L);
        JsonNode album = entries.get(0);
        assertThat(album.get("album").asText()).isEqualTo("7");
        assertThat(album.get("recipient").asText()).isEqualTo("100200300");
        assertThat(album.get("caption").asText()).isEqualTo("Scene");
        assertThat(album.get("photos")).extracting(photo -> photo.get("photo").asText())
                .containsExactly("/demo/received/2/photo", "/demo/received/5/photo", "/demo/received/4/photo");
        assertThat(entries.get(1).get("album").isNull()).isTrue();
        assertThat(entries.get(1).get("photos")).hasSize(1);
    }

    @Test
    void anAlbumToSeveralRecipientsShowsAsOneEntryForEach() {
        ReceivedPhotos received = new ReceivedPhotos(r -> null);
        received.add(albumPhoto("8", 0, "STEAM:1", null));
        received.add(albumPhoto("8", 1, "STEAM:2", null));
        received.add(albumPhoto("8", 2, "STEAM:1", null));

        JsonNode entries = received.toJson(new ObjectMapper());

        assertThat(entries).extracting(entry -> entry.get("recipient").asText()).containsExactly("STEAM:1", "STEAM:2");
        assertThat(entries.get(0).get("photos")).extracting(photo -> photo.get("photo").asText())
                .containsExactly("/demo/received/1/photo", "/demo/received/3/photo");
    }

    private static Received photo(byte[] bytes) {
        return new Received(Instant.now(), "telegram", "100200300", null, null, 0, "image/jpeg", bytes, null,
                bytes.length, 0, new SimulatedAnswer(200, "application/json", "{\"ok\":true}"), 0);
    }

    private static Received albumPhoto(String album, int index, String recipient, String caption) {
        byte[] bytes = TestImages.jpeg(8, 8);
        return new Received(Instant.now(), "telegram", recipient, caption, album, index, "image/jpeg", bytes, null,
                bytes.length, 0, new SimulatedAnswer(200, "application/json", "{\"ok\":true,\"result\":[]}"), 0);
    }
}
