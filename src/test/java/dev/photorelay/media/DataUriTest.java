package dev.photorelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.photorelay.testing.TestImages;

class DataUriTest {

    @TempDir
    Path folder;

    @Test
    void aPhotoFileIsEncodedPieceByPieceIntoTheSameBase64AsAtOnce() throws Exception {
        // several 48 KB pieces and a last one that is not a multiple of 3
        byte[] bytes = TestImages.padded(TestImages.jpeg(64, 48), 3 * 48 * 1024 + 7);
        Path file = Files.write(folder.resolve("photo.jpg"), bytes);
        Photo.Content photo = new Photo.Content("photo.jpg", new ImageInfo(MediaType.JPEG, 64, 48), bytes.length, file,
                FileState.of(file), null);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataUri.writeEncoded(photo, out);

        assertThat(out.toString()).isEqualTo(Base64.getEncoder().encodeToString(bytes));
        assertThat(DataUri.encodedLength(photo)).isEqualTo(out.size());
        assertThat(DataUri.prefix(photo)).isEqualTo("data:image/jpeg;base64,");
    }

    @Test
    void encodedThenDecodedGivesThePhotoBack() throws Exception {
        byte[] bytes = TestImages.png(5, 5);
        Photo.Content photo = new Photo.Content("photo.png", new ImageInfo(MediaType.PNG, 5, 5), bytes.length, null,
                null, bytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataUri.writeEncoded(photo, out);

        assertThat(DataUri.decode(DataUri.prefix(photo) + out)).isEqualTo(bytes);
    }
}
