package dev.photorelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.junit.jupiter.api.Test;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.testing.TestImages;

class ImageHeaderTest {

    @Test
    void readsTypeAndSizeOfJpegPngAndGif() throws Exception {
        assertThat(read(TestImages.jpeg(640, 480))).isEqualTo(new ImageInfo(MediaType.JPEG, 640, 480));
        assertThat(read(TestImages.png(300, 200))).isEqualTo(new ImageInfo(MediaType.PNG, 300, 200));
        assertThat(read(TestImages.gif(17, 9))).isEqualTo(new ImageInfo(MediaType.GIF, 17, 9));
    }

    @Test
    void readsWebpSizeFromItsExtendedHeader() throws Exception {
        byte[] webp = new byte[30];
        System.arraycopy("RIFF".getBytes(), 0, webp, 0, 4);
        System.arraycopy("WEBPVP8X".getBytes(), 0, webp, 8, 8);
        webp[24] = (byte) 0xFF; // width - 1 = 1023 (little endian, 24 bits)
        webp[25] = 0x03;
        webp[27] = (byte) 0xFF; // height - 1 = 767
        webp[28] = 0x02;

        assertThat(read(webp)).isEqualTo(new ImageInfo(MediaType.WEBP, 1024, 768));
    }

    @Test
    void findsTheJpegFrameHeaderBehindLargeMetadataSegments() throws Exception {
        byte[] jpeg = TestImages.jpeg(333, 222);
        ByteArrayOutputStream withExif = new ByteArrayOutputStream();
        withExif.write(jpeg, 0, 2); // SOI
        for (int i = 0; i < 3; i++) { // three full APP1 segments, 192 KB of metadata
            withExif.write(new byte[] { (byte) 0xFF, (byte) 0xE1, (byte) 0xFF, (byte) 0xFF });
            withExif.write(new byte[0xFFFF - 2]);
        }
        withExif.write(jpeg, 2, jpeg.length - 2);

        assertThat(read(withExif.toByteArray())).isEqualTo(new ImageInfo(MediaType.JPEG, 333, 222));
    }

    @Test
    void emptyTextAndTruncatedFilesAreUnsupportedMedia() {
        assertUnsupported(new byte[0], "empty");
        assertUnsupported("GIF? no, just text".getBytes(), "not a JPEG");
        assertUnsupported(Arrays.copyOf(TestImages.jpeg(50, 50), 30), "truncated");
        assertUnsupported(Arrays.copyOf(TestImages.png(50, 50), 12), "truncated");
        assertUnsupported(new byte[] { 'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0 }, "not a JPEG");
    }

    private static ImageInfo read(byte[] bytes) throws Exception {
        return ImageHeader.read(new ByteArrayInputStream(bytes));
    }

    private static void assertUnsupported(byte[] bytes, String reason) {
        assertThatThrownBy(() -> read(bytes)).isInstanceOfSatisfying(PhotoDeliveryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA);
            assertThat(e.reason()).contains(reason);
        });
    }

    @Test
    void aJpegWithExifHasMetadataSegmentsAndOneStraightFromImageIoHasNone() throws Exception {
        byte[] camera = TestImages.withExif(TestImages.jpeg(64, 48), exif -> exif.getOrCreateRootDirectory()
                .add(TiffTagConstants.TIFF_TAG_MAKE, "Cam"));

        assertThat(ImageHeader.hasMetadataSegments(new ByteArrayInputStream(camera))).isTrue();
        assertThat(ImageHeader.hasMetadataSegments(new ByteArrayInputStream(TestImages.jpeg(64, 48)))).isFalse();
    }
}
