package dev.photorelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.photorelay.delivery.PreparedAlbum.Call;
import dev.photorelay.media.Photo;

class PreparedAlbumTest {

    @Test
    void twelvePhotosAreCutIntoCallsOfAtMostTheMaxInOrder() {
        assertThat(PreparedAlbum.of(photos(false, 12), 10).calls()).containsExactly(new Call(0, 10), new Call(10, 12));
    }

    @Test
    void aPlatformTakingOnePhotoPerCallGetsACallPerPhoto() {
        assertThat(PreparedAlbum.of(photos(false, 3), 1).calls())
                .containsExactly(new Call(0, 1), new Call(1, 2), new Call(2, 3));
    }

    @Test
    void photosAndDocumentsNeverShareACall() {
        List<PreparedPhoto> mixed = new ArrayList<>(photos(false, 2));
        mixed.addAll(photos(true, 1));
        mixed.addAll(photos(false, 2));

        assertThat(PreparedAlbum.of(mixed, 10).calls())
                .containsExactly(new Call(0, 2), new Call(2, 3), new Call(3, 5));
    }

    @Test
    void aSinglePhotoIsOneCall() {
        assertThat(PreparedAlbum.of(photos(false, 1), 10).calls()).containsExactly(new Call(0, 1));
    }

    private static List<PreparedPhoto> photos(boolean asDocument, int count) {
        List<PreparedPhoto> photos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            photos.add(new PreparedPhoto(new Photo.Link("https://example.com/" + i + ".jpg", true), asDocument, null,
                    null));
        }
        return photos;
    }
}
