package dev.photorelay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.commons.imaging.bytesource.ByteSource;
import org.apache.commons.imaging.formats.jpeg.JpegImageParser;
import org.apache.commons.imaging.formats.jpeg.xmp.JpegXmpRewriter;
import org.apache.commons.imaging.formats.tiff.TiffImageMetadata;
import org.apache.commons.imaging.formats.tiff.constants.TiffDirectoryConstants;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.photorelay.RelayConfig.StripMetadata;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.testing.TestImages;

class MetadataRemovalTest {

    @TempDir
    Path dir;

    /** A camera JPEG: its make, its orientation and where it was taken. */
    static byte[] cameraJpeg() {
        return TestImages.withExif(TestImages.noisyJpeg(640, 480, false), exif -> {
            exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_MAKE, "PhotoRelayCam");
            exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_ORIENTATION, (short) 6);
            exif.setGpsInDegrees(-46.633308, -23.550520);
        });
    }

    @Test
    void theLocationIsRemovedAndTheImageDataStaysByteForByte() throws Exception {
        byte[] camera = cameraJpeg();
        assertThat(exif(camera).findDirectory(TiffDirectoryConstants.DIRECTORY_TYPE_GPS)).isNotNull();
        byte[] sent = strip(camera, StripMetadata.LOCATION);

        TiffImageMetadata exif = exif(sent);
        assertThat(exif.findDirectory(TiffDirectoryConstants.DIRECTORY_TYPE_GPS)).isNull();
        assertThat(exif.getGpsInfo()).isNull();
        assertThat(new String(sent, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("GPS");
        assertThat(exif.findField(TiffTagConstants.TIFF_TAG_MAKE).getStringValue()).isEqualTo("PhotoRelayCam");
        assertThat(exif.findField(TiffTagConstants.TIFF_TAG_ORIENTATION).getIntValue()).isEqualTo(6);
        assertThat(TestImages.imageData(sent)).isEqualTo(TestImages.imageData(camera));
    }

    @Test
    void aLocationInXmpIsRemovedToo() throws Exception {
        String xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + "<rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"23,33.0312S\" "
                + "exif:GPSLongitude=\"46,37.9985W\"/></rdf:RDF></x:xmpmeta>";
        ByteArrayOutputStream withXmp = new ByteArrayOutputStream();
        byte[] plain = TestImages.noisyJpeg(320, 240, false);
        new JpegXmpRewriter().updateXmpXml(plain, withXmp, xmp);
        byte[] sent = strip(withXmp.toByteArray(), StripMetadata.LOCATION);

        assertThat(new JpegImageParser().getXmpXml(ByteSource.array(sent), null)).isNull();
        assertThat(TestImages.imageData(sent)).isEqualTo(TestImages.imageData(plain));
    }

    @Test
    void aPhotoWithoutLocationIsLeftAsItIs() throws Exception {
        byte[] plain = TestImages.withExif(TestImages.jpeg(100, 100),
                exif -> exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_MAKE, "PhotoRelayCam"));

        assertThat(strip(plain, StripMetadata.LOCATION)).isNull();
        assertThat(strip(TestImages.png(10, 10), StripMetadata.ALL)).isNull();
        assertThat(strip(cameraJpeg(), StripMetadata.NONE)).isNull();
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void allRemovesEverythingButTheOrientation() throws Exception {
        byte[] camera = cameraJpeg();
        byte[] sent = strip(camera, StripMetadata.ALL);

        TiffImageMetadata exif = exif(sent);
        assertThat(exif.getAllFields()).extracting(f -> f.getTag())
                .containsOnly(TiffTagConstants.TIFF_TAG_ORIENTATION.tag);
        assertThat(TestImages.imageData(sent)).isEqualTo(TestImages.imageData(camera));
    }

    @Test
    void aLocationIsFoundInEverySpellingAndPlaceAndRemoved() throws Exception {
        byte[] camera = cameraJpeg();
        // DJI drones write drone-dji:GpsLatitude in XMP, in another case than Adobe's exif:GPSLatitude
        byte[] drone = withSegment(camera, 0xE1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description "
                + "drone-dji:GpsLatitude=\"-23.55\" drone-dji:GpsLongitude=\"-46.63\"/></x:xmpmeta>");
        // extended XMP continues a packet in further APP1 segments
        byte[] extended = withSegment(camera, 0xE1, "http://ns.adobe.com/xmp/extension/\0" + "0".repeat(40)
                + "<exif:GPSLatitude>23,33S</exif:GPSLatitude>");
        // UTF-16 XMP
        byte[] utf16 = withSegment(camera, 0xE1, new String("http://ns.adobe.com/xap/1.0/\0".getBytes(
                StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1) + new String(
                "exif:GPSLatitude".getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1));
        // a second image after the first one's end, as MPO files and motion photos carry
        byte[] trailer = concat(camera, cameraJpeg());

        for (byte[] photo : new byte[][] { drone, extended, utf16, trailer }) {
            byte[] sent = strip(photo, StripMetadata.LOCATION);

            assertThat(sent).isNotNull();
            assertThat(MetadataRemoval.namesGps(sent)).as("GPS named in what is sent").isFalse();
            assertThat(exif(sent).findDirectory(TiffDirectoryConstants.DIRECTORY_TYPE_GPS)).isNull();
            assertThat(TestImages.imageData(sent)).isEqualTo(TestImages.imageData(camera));
        }
    }

    @Test
    void aPhotoshopBlockHoldingExifIsRemovedAndOneWithOnlyACaptionIsKept() throws Exception {
        byte[] camera = TestImages.withExif(TestImages.jpeg(64, 48),
                exif -> exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_MAKE, "Cam"));
        byte[] withExifResource = withSegment(camera, 0xED, "Photoshop 3.0\08BIM\u0004\"\0\0\0\0\0\u0004Exif");
        byte[] withCaption = withSegment(camera, 0xED, "Photoshop 3.0\08BIM\u0004\u0004\0\0\0\0\0\u0004abcd");

        byte[] sent = strip(withExifResource, StripMetadata.LOCATION);

        assertThat(new String(sent, StandardCharsets.ISO_8859_1)).doesNotContain("Photoshop");
        assertThat(strip(withCaption, StripMetadata.LOCATION)).isNull();
    }

    @Test
    void aBrokenExifBlockIsUnsupportedMediaNotANetworkError() {
        byte[] broken = withSegment(TestImages.jpeg(64, 48), 0xE1, "Exif\0\0MM\0*\0\0\0\u0008\0\u0009");

        assertThatThrownBy(() -> strip(broken, StripMetadata.LOCATION))
                .isInstanceOfSatisfying(PhotoDeliveryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA));
    }

    private byte[] strip(byte[] jpeg, StripMetadata policy) throws Exception {
        Path out = dir.resolve("out");
        return MetadataRemoval.strip(PhotoFitterTest.photo(jpeg), policy, out) ? Files.readAllBytes(out) : null;
    }

    /** The JPEG with one more segment right after its start-of-image. */
    private static byte[] withSegment(byte[] jpeg, int marker, String latin1) {
        byte[] payload = latin1.getBytes(StandardCharsets.ISO_8859_1);
        byte[] segment = concat(new byte[] { (byte) 0xFF, (byte) marker, (byte) ((payload.length + 2) >> 8),
                (byte) (payload.length + 2) }, payload);
        return concat(Arrays.copyOf(jpeg, 2), segment, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static TiffImageMetadata exif(byte[] jpeg) throws Exception {
        return new JpegImageParser().getExifMetadata(ByteSource.array(jpeg), null);
    }
}
