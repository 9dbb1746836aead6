package dev.photorelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.photorelay.media.ImageEnd.State;
import dev.photorelay.testing.TestImages;

/** Whether a file holds a whole image, from its own structure, for each format and each way a file is left unfinished. */
class ImageEndTest {

    @TempDir
    Path folder;

    @Test
    void wholeImagesOfEveryFormatAreComplete() throws IOException {
        assertThat(stateOf(TestImages.jpeg(40, 30))).isEqualTo(State.COMPLETE);
        assertThat(stateOf(TestImages.noisyJpeg(120, 90, false))).isEqualTo(State.COMPLETE);
        assertThat(stateOf(TestImages.noisyJpeg(120, 90, true))).isEqualTo(State.COMPLETE);
        assertThat(stateOf(TestImages.png(40, 30))).isEqualTo(State.COMPLETE);
        assertThat(stateOf(TestImages.gif(40, 30))).isEqualTo(State.COMPLETE);
        assertThat(stateOf(TestImages.webp(40, 30, 999))).isEqualTo(State.COMPLETE);
        assertThat(stateOf(TestImages.pngHeader(40, 30))).isEqualTo(State.COMPLETE);
    }

    @Test
    void imagesCutShortAreIncompleteWhereverTheCutFalls() throws IOException {
        for (byte[] image : new byte[][] { TestImages.noisyJpeg(120, 90, false), TestImages.noisyJpeg(120, 90, true),
                TestImages.png(200, 150), TestImages.gif(120, 90), TestImages.webp(40, 30, 999) }) {
            for (int length = 1; length < image.length; length += Math.max(1, image.length / 97)) {
                assertThat(stateOf(Arrays.copyOf(image, length))).as("the first %d of %d bytes", length, image.length)
                        .isEqualTo(State.INCOMPLETE);
            }
            assertThat(stateOf(Arrays.copyOf(image, image.length - 1))).isEqualTo(State.INCOMPLETE);
        }
    }

    @Test
    void imagesSetToFullSizeAndFilledOnlyPartlyWithZerosAreIncomplete() throws IOException {
        for (byte[] image : new byte[][] { TestImages.noisyJpeg(120, 90, false), TestImages.png(200, 150),
                TestImages.gif(120, 90) }) {
            byte[] halfFilled = new byte[image.length];
            System.arraycopy(image, 0, halfFilled, 0, image.length / 2);

            assertThat(stateOf(halfFilled)).isEqualTo(State.INCOMPLETE);
            assertThat(stateOf(new byte[image.length])).as("nothing written yet").isEqualTo(State.INCOMPLETE);
        }
    }

    @Test
    void aJpegWithDataAfterItsEndIsComplete() throws IOException {
        // motion photos append a video after the image's end; some cameras pad with zeros
        byte[] jpeg = TestImages.noisyJpeg(120, 90, false);
        byte[] withVideo = ByteBuffer.allocate(jpeg.length + 5000).put(jpeg).put("ftypmp42".getBytes()).array();

        assertThat(stateOf(withVideo)).isEqualTo(State.COMPLETE);
        assertThat(stateOf(TestImages.padded(jpeg, jpeg.length + 4096))).isEqualTo(State.COMPLETE);
    }

    @Test
    void theEndOfAJpegsImageDataIsFoundWhereverItFallsInTheBytesRead() throws IOException {
        // the image data is read in 16 KB buffers, eight bytes at a time: the end marker at every offset in a word and
        // around the first buffer's end (nothing before it that a wrong offset could be mended by)
        for (int dataLength = 16_360; dataLength < 16_400; dataLength++) {
            byte[] withVideo = scanJpeg(dataLength, true);

            assertThat(stateOf(withVideo)).as("%d bytes of data, the end, then more", dataLength)
                    .isEqualTo(State.COMPLETE);
            assertThat(stateOf(Arrays.copyOf(withVideo, 12 + dataLength + 1))).as("%d bytes, half the end", dataLength)
                    .isEqualTo(State.INCOMPLETE);
            assertThat(stateOf(scanJpeg(dataLength, false))).as("%d bytes of data, no end", dataLength)
                    .isEqualTo(State.INCOMPLETE);
        }
    }

    /** SOI, a scan header, {@code dataLength} bytes of image data without a 0xFF, the end marker if {@code ended}, more. */
    private static byte[] scanJpeg(int dataLength, boolean ended) {
        ByteBuffer jpeg = ByteBuffer.allocate(12 + dataLength + 2 + 8);
        jpeg.put(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0 });
        byte[] data = new byte[dataLength];
        Arrays.fill(data, (byte) 0x5A);
        jpeg.put(data);
        if (ended) {
            jpeg.put(new byte[] { (byte) 0xFF, (byte) 0xD9 });
        }
        jpeg.put("ftypmp42".getBytes(StandardCharsets.US_ASCII)); // a motion photo's video: the file does not end there
        return Arrays.copyOf(jpeg.array(), jpeg.position());
    }

    @Test
    void emptyOrTheStartOfASignatureIsIncompleteWhileOtherBytesAreNotAnImage() throws IOException {
        assertThat(stateOf(new byte[0])).isEqualTo(State.INCOMPLETE);
        assertThat(stateOf(new byte[] { (byte) 0xFF, (byte) 0xD8 })).isEqualTo(State.INCOMPLETE);
        assertThat(stateOf("RIFF".getBytes(StandardCharsets.US_ASCII))).isEqualTo(State.INCOMPLETE);
        assertThat(stateOf("just text, renamed".getBytes(StandardCharsets.US_ASCII))).isEqualTo(State.NOT_AN_IMAGE);
        assertThat(stateOf("%PDF".getBytes(StandardCharsets.US_ASCII))).isEqualTo(State.NOT_AN_IMAGE);
    }

    private State stateOf(byte[] bytes) throws IOException {
        Path file = Files.write(folder.resolve("f" + System.nanoTime()), bytes);
        return ImageEnd.of(file);
    }
}
