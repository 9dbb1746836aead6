package dev.photorelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;

import org.apache.commons.imaging.bytesource.ByteSource;
import org.apache.commons.imaging.formats.jpeg.JpegImageParser;
import org.apache.commons.imaging.formats.jpeg.xmp.JpegXmpRewriter;
import org.apache.commons.imaging.formats.tiff.TiffImageMetadata;
import org.apache.commons.imaging.formats.tiff.constants.TiffDirectoryConstants;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.junit.jupiter.api.Test;

import dev.photorelay.RelayConfig.StripMetadata;
import dev.photorelay.testing.TestImages;

class MetadataRemovalTest {

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
        byte[] sent = MetadataRemoval.stripped(PhotoFitterTest.photo(camera), StripMetadata.LOCATION);

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
        byte[] sent = MetadataRemoval.stripped(PhotoFitterTest.photo(withXmp.toByteArray()), StripMetadata.LOCATION);

        assertThat(new JpegImageParser().getXmpXml(ByteSource.array(sent), null)).isNull();
        assertThat(TestImages.imageData(sent)).isEqualTo(TestImages.imageData(plain));
    }

    @Test
    void aPhotoWithoutLocationIsLeftAsItIs() throws Exception {
        byte[] plain = TestImages.withExif(TestImages.jpeg(100, 100),
                exif -> exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_MAKE, "PhotoRelayCam"));

        assertThat(MetadataRemoval.stripped(PhotoFitterTest.photo(plain), StripMetadata.LOCATION)).isNull();
        assertThat(MetadataRemoval.stripped(PhotoFitterTest.photo(TestImages.png(10, 10)), StripMetadata.ALL)).isNull();
        assertThat(MetadataRemoval.stripped(PhotoFitterTest.photo(cameraJpeg()), StripMetadata.NONE)).isNull();
    }

    @Test
    void allRemovesEverythingButTheOrientation() throws Exception {
        byte[] camera = cameraJpeg();
        byte[] sent = MetadataRemoval.stripped(PhotoFitterTest.photo(camera), StripMetadata.ALL);

        TiffImageMetadata exif = exif(sent);
        assertThat(exif.getAllFields()).extracting(f -> f.getTag())
                .containsOnly(TiffTagConstants.TIFF_TAG_ORIENTATION.tag);
        assertThat(TestImages.imageData(sent)).isEqualTo(TestImages.imageData(camera));
    }

    private static TiffImageMetadata exif(byte[] jpeg) throws Exception {
        return new JpegImageParser().getExifMetadata(ByteSource.array(jpeg), null);
    }
}
