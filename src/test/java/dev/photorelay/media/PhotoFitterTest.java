package dev.photorelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.testing.TestImages;

class PhotoFitterTest {

    private static final PhotoLimits TELEGRAM = new PhotoLimits(10L * 1024 * 1024, 10_000, 20, 50L * 1024 * 1024);

    @TempDir
    Path dir;

    private final PhotoFitter fitter = new PhotoFitter();

    @Test
    void aJpegOverTheByteLimitIsReencodedWithinItAtTheSameAspect() throws Exception {
        byte[] large = TestImages.noisyJpeg(2800, 2100, 1.0f);
        assertThat(large.length).isGreaterThan(10 * 1024 * 1024);

        FittedPhoto fitted = fitter.fit(photo(large), TELEGRAM, dir.resolve("out.jpg"));

        assertThat(fitted.size()).isLessThanOrEqualTo(TELEGRAM.maxBytes()).isEqualTo(Files.size(fitted.file()));
        BufferedImage out = ImageIO.read(fitted.file().toFile());
        assertThat(out.getWidth() * 2100.0 / out.getHeight()).isCloseTo(2800, org.assertj.core.data.Offset.offset(3.0));
    }

    @Test
    void aPanoramaOverTenThousandPixelsIsScaledWithin() throws Exception {
        FittedPhoto fitted = fitter.fit(photo(TestImages.jpeg(12_000, 3_000)), TELEGRAM, dir.resolve("out.jpg"));

        assertThat(fitted.width() + fitted.height()).isLessThanOrEqualTo(10_000);
        assertThat((double) fitted.width() / fitted.height()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aPhotoStoredSidewaysComesOutAsItsOrientationSays() throws Exception {
        // stored landscape with a red top-left corner; orientation 6 means "turn 90 degrees clockwise to show"
        BufferedImage stored = new BufferedImage(900, 600, BufferedImage.TYPE_INT_RGB);
        var g = stored.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 900, 600);
        g.setColor(Color.RED);
        g.fillRect(0, 0, 150, 150);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(stored, "jpg", jpeg);
        byte[] sideways = TestImages.withExif(jpeg.toByteArray(),
                exif -> exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_ORIENTATION, (short) 6));

        FittedPhoto fitted = fitter.fit(photo(sideways), new PhotoLimits(1024 * 1024, 1_000, 0, 0),
                dir.resolve("out.jpg"));

        BufferedImage shown = ImageIO.read(fitted.file().toFile());
        assertThat(shown.getHeight()).isGreaterThan(shown.getWidth());
        // the stored top-left corner is now the top-right one
        assertThat(new Color(shown.getRGB(shown.getWidth() - 10, 10)).getRed()).isGreaterThan(200);
        assertThat(new Color(shown.getRGB(10, 10)).getBlue()).isGreaterThan(200);
    }

    @Test
    void cmykProgressiveAndSixteenBitImagesCanBeFitted() throws Exception {
        byte[] cmyk = TestImages.noisyCmykJpeg(1800, 1800, 1.0f);
        assertThat(cmyk.length).isGreaterThan(10 * 1024 * 1024);
        byte[] progressive = TestImages.noisyJpeg(1200, 900, true);
        byte[] png16 = TestImages.png16(800, 600);
        PhotoLimits small = new PhotoLimits(300 * 1024, 1_000, 0, 0);

        FittedPhoto fromCmyk = fitter.fit(photo(cmyk), TELEGRAM, dir.resolve("cmyk.jpg"));
        FittedPhoto fromProgressive = fitter.fit(photo(progressive), small, dir.resolve("progressive.jpg"));
        FittedPhoto fromPng16 = fitter.fit(photo(png16), small, dir.resolve("png16.jpg"));

        assertThat(fromCmyk.size()).isLessThanOrEqualTo(TELEGRAM.maxBytes());
        assertThat(ImageIO.read(fromCmyk.file().toFile()).getWidth()).isEqualTo(fromCmyk.width());
        assertThat(fromProgressive.size()).isLessThanOrEqualTo(small.maxBytes());
        assertThat(fromProgressive.width() + fromProgressive.height()).isLessThanOrEqualTo(1_000);
        assertThat(ImageIO.read(fromPng16.file().toFile()).getWidth()).isEqualTo(fromPng16.width());
    }

    @Test
    void anImageThatCannotBeDecodedIsUnsupportedMedia() {
        byte[] headerOnly = TestImages.pngHeader(6000, 6000);

        assertThatThrownBy(() -> fitter.fit(photo(headerOnly), TELEGRAM, dir.resolve("out.jpg")))
                .isInstanceOfSatisfying(PhotoDeliveryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA));
    }

    @Test
    void aSmallFileDeclaringAHugeImageIsRefusedWithoutDecodingIt() {
        // 40000 x 40000 in a few dozen bytes: decoding it would take minutes, whatever the subsampling
        byte[] bomb = TestImages.pngHeader(40_000, 40_000);

        assertThatThrownBy(() -> fitter.fit(photo(bomb), TELEGRAM, dir.resolve("out.jpg")))
                .isInstanceOfSatisfying(PhotoDeliveryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA);
                    assertThat(e.getMessage()).contains("40000x40000").contains("150 megapixels");
                });
        assertThat(dir.resolve("out.jpg")).doesNotExist();
    }

    @Test
    void aPhotoAtTheAspectLimitStaysWithinItWhenScaled() throws Exception {
        FittedPhoto fitted = fitter.fit(photo(TestImages.png(9_600, 480)), TELEGRAM, dir.resolve("out.jpg"));

        assertThat(fitted.width() + fitted.height()).isLessThanOrEqualTo(10_000);
        assertThat(fitted.width()).isLessThanOrEqualTo(20 * fitted.height());
    }

    @Test
    void imagesTheDecoderHoldsWholeAreFittedOnlyUpToTheBudget() {
        // a lossless WebP declaring 12000x12000 in a few bytes, and a progressive JPEG of 20 megapixels
        byte[] webp = TestImages.webp(12_000, 12_000, 40);
        byte[] progressive = TestImages.progressiveJpeg(5_000, 4_000);

        for (byte[] image : new byte[][] { webp, progressive }) {
            assertThatThrownBy(() -> fitter.fit(photo(image), TELEGRAM, dir.resolve("out.jpg")))
                    .isInstanceOfSatisfying(PhotoDeliveryException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA);
                        assertThat(e.getMessage()).contains("decoded whole");
                    });
        }
    }

    static Photo.Content photo(byte[] bytes) throws IOException, PhotoDeliveryException {
        ImageInfo image = ImageHeader.read(new ByteArrayInputStream(bytes));
        return new Photo.Content("photo." + image.type().extension(), image, bytes.length, null, null, bytes);
    }
}
