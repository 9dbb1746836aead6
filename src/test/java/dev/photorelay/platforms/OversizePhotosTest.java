package dev.photorelay.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.Base64;

import javax.imageio.ImageIO;

import org.apache.commons.imaging.bytesource.ByteSource;
import org.apache.commons.imaging.formats.jpeg.JpegImageParser;
import org.apache.commons.imaging.formats.tiff.TiffImageMetadata;
import org.apache.commons.imaging.formats.tiff.constants.TiffDirectoryConstants;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;

/** With the shipped {@code oversize=fit}: photos over a platform's limits still arrive; none leaves with its location. */
@QuarkusTest
class OversizePhotosTest {

    private static final int TEN_MB = 10 * 1024 * 1024;

    @InjectTelegram
    WireMockServer telegram;

    @InjectZapi
    WireMockServer zapi;

    @InjectInbox
    Inbox inbox;

    @Test
    void anElevenMegabyteJpegArrivesUnderTenWithTheSameAspect() throws Exception {
        byte[] camera = TestImages.noisyJpeg(2800, 2100, 1.0f);
        assertThat(camera.length).isGreaterThan(11 * 1024 * 1024 - 600_000);
        inbox.drop("telegram/61001/camera.jpg", camera);

        JsonNode receipt = inbox.awaitSent("telegram/61001/camera.jpg");

        Request.Part part = Received.only(Received.telegram(telegram, "61001")).getPart("photo");
        byte[] sent = part.getBody().asBytes();
        assertThat(sent.length).isLessThanOrEqualTo(TEN_MB);
        assertThat(part.getHeader("Content-Type").firstValue()).isEqualTo("image/jpeg");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(sent));
        assertThat(image.getWidth() * 3).isEqualTo(image.getHeight() * 4);
        JsonNode adapted = receipt.path("recipients").get(0).path("adapted");
        assertThat(adapted.path("how").asText()).isEqualTo("fit");
        assertThat(adapted.path("from").asText()).startsWith("2800x2100, ");
        assertThat(adapted.path("to").asText()).startsWith(image.getWidth() + "x" + image.getHeight() + ", ");
        // the original is filed unchanged
        assertThat(Files.readAllBytes(inbox.sent("telegram/61001/camera.jpg"))).isEqualTo(camera);
        assertThat(inbox.root().resolve(".prepared")).isEmptyDirectory();
    }

    @Test
    void aPanoramaOverTenThousandPixelsArrivesWithinThem() throws Exception {
        inbox.drop("telegram/61002/pano.png", TestImages.png(12_000, 3_000));

        inbox.awaitSent("telegram/61002/pano.png");

        Request.Part part = Received.only(Received.telegram(telegram, "61002")).getPart("photo");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(part.getBody().asBytes()));
        assertThat(image.getWidth() + image.getHeight()).isLessThanOrEqualTo(10_000);
        assertThat(image.getWidth()).isEqualTo(image.getHeight() * 4);
        assertThat(part.getHeader("Content-Disposition").firstValue()).contains("filename=\"pano.jpg\"");
    }

    @Test
    void aReceiptScanTooNarrowForAPhotoArrivesAsADocument() throws Exception {
        byte[] receipt = TestImages.png(40, 900);
        inbox.drop("telegram/61003/receipt.png", receipt);

        JsonNode record = inbox.awaitSent("telegram/61003/receipt.png");

        assertThat(Received.telegram(telegram, "61003")).isEmpty();
        Request.Part part = Received.only(Received.telegramDocuments(telegram, "61003")).getPart("document");
        assertThat(part.getBody().asBytes()).isEqualTo(receipt);
        assertThat(record.path("recipients").get(0).path("sentAs").asText()).isEqualTo("document");
    }

    @Test
    void asDocumentSendsTheOriginalBytesAsADocument() throws Exception {
        byte[] photo = TestImages.jpeg(800, 600);
        inbox.dropSidecar("telegram/61004/original.jpg", "{\"asDocument\": true, \"caption\": \"as shot\"}");
        inbox.drop("telegram/61004/original.jpg", photo);

        JsonNode record = inbox.awaitSent("telegram/61004/original.jpg");

        var request = Received.only(Received.telegramDocuments(telegram, "61004"));
        assertThat(request.getPart("document").getBody().asBytes()).isEqualTo(photo);
        assertThat(request.getPart("caption").getBody().asString()).isEqualTo("as shot");
        assertThat(record.path("recipients").get(0).path("sentAs").asText()).isEqualTo("document");
    }

    @Test
    void aPhotoOverTwentyMegabytesGoesAsADocumentUpToTelegramsFifty() throws Exception {
        byte[] large = TestImages.padded(TestImages.jpeg(800, 600), 25 * 1024 * 1024);
        inbox.dropSidecar("telegram/61011/large.jpg", "{\"asDocument\": true}");
        inbox.drop("telegram/61011/large.jpg", large);

        inbox.awaitSent("telegram/61011/large.jpg");

        assertThat(Received.only(Received.telegramDocuments(telegram, "61011")).getPart("document").getBody().asBytes())
                .isEqualTo(large);
    }

    @Test
    void aSidewaysPhotoOverTheLimitArrivesUpright() throws Exception {
        // stored 8000x3000 (over width + height 10000), shown portrait: orientation 6
        byte[] sideways = TestImages.withExif(TestImages.jpeg(8000, 3000),
                exif -> exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_ORIENTATION, (short) 6));
        inbox.drop("telegram/61005/portrait.jpg", sideways);

        inbox.awaitSent("telegram/61005/portrait.jpg");

        byte[] sent = Received.only(Received.telegram(telegram, "61005")).getPart("photo").getBody().asBytes();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(sent));
        assertThat(image.getHeight()).isGreaterThan(image.getWidth());
        assertThat(image.getWidth() + image.getHeight()).isLessThanOrEqualTo(10_000);
    }

    @Test
    void aJpegWithItsLocationArrivesWithoutItAndWithTheSamePixelData() throws Exception {
        byte[] camera = TestImages.withExif(TestImages.jpeg(640, 480), exif -> {
            exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_MAKE, "PhotoRelayCam");
            exif.setGpsInDegrees(-46.633308, -23.550520);
        });
        inbox.drop("telegram/61006/street.jpg", camera);

        inbox.awaitSent("telegram/61006/street.jpg");

        byte[] sent = Received.only(Received.telegram(telegram, "61006")).getPart("photo").getBody().asBytes();
        assertThat(exif(sent).findDirectory(TiffDirectoryConstants.DIRECTORY_TYPE_GPS)).isNull();
        assertThat(exif(sent).findField(TiffTagConstants.TIFF_TAG_MAKE).getStringValue()).isEqualTo("PhotoRelayCam");
        assertThat(TestImages.imageData(sent)).isEqualTo(TestImages.imageData(camera));
        assertThat(Files.readAllBytes(inbox.sent("telegram/61006/street.jpg"))).isEqualTo(camera);
    }

    @Test
    void aLocationNeverReachesWhatsAppsDataUriEither() throws Exception {
        byte[] camera = TestImages.withExif(TestImages.jpeg(320, 240), exif -> exif.setGpsInDegrees(2.2945, 48.8584));
        inbox.drop("zapi/5511960600007/tower.jpg", camera);

        inbox.awaitSent("zapi/5511960600007/tower.jpg");

        String image = new ObjectMapper().readTree(Received.only(Received.zapi(zapi, "5511960600007")).getBodyAsString())
                .path("image").asText();
        byte[] sent = Base64.getDecoder().decode(image.substring(image.indexOf(',') + 1));
        assertThat(exif(sent).getGpsInfo()).isNull();
        assertThat(TestImages.imageData(sent)).isEqualTo(TestImages.imageData(camera));
    }

    @Test
    void aCmykJpegOverTheLimitIsFitted() throws Exception {
        byte[] cmyk = TestImages.noisyCmykJpeg(1800, 1800, 1.0f);
        assertThat(cmyk.length).isGreaterThan(TEN_MB);
        inbox.drop("telegram/61008/print.jpg", cmyk);

        JsonNode receipt = inbox.awaitSent("telegram/61008/print.jpg");

        byte[] sent = Received.only(Received.telegram(telegram, "61008")).getPart("photo").getBody().asBytes();
        assertThat(sent.length).isLessThanOrEqualTo(TEN_MB);
        assertThat(ImageIO.read(new ByteArrayInputStream(sent)).getWidth()).isPositive();
        assertThat(receipt.path("recipients").get(0).path("adapted").path("how").asText()).isEqualTo("fit");
    }

    @Test
    void aSixMegabyteJpegArrivesAtWhatsAppUnderFive() throws Exception {
        byte[] photo = TestImages.noisyJpeg(1800, 1700, 1.0f);
        assertThat(photo.length).isGreaterThan(6 * 1024 * 1024 - 300_000);
        inbox.drop("zapi/5511960600009/big.jpg", photo);

        JsonNode receipt = inbox.awaitSent("zapi/5511960600009/big.jpg");

        String image = new ObjectMapper().readTree(Received.only(Received.zapi(zapi, "5511960600009")).getBodyAsString())
                .path("image").asText();
        assertThat(image).startsWith("data:image/jpeg;base64,");
        assertThat(Base64.getDecoder().decode(image.substring(image.indexOf(',') + 1)).length)
                .isLessThanOrEqualTo(5 * 1024 * 1024);
        assertThat(receipt.path("recipients").get(0).path("adapted").path("how").asText()).isEqualTo("fit");
    }

    private static TiffImageMetadata exif(byte[] jpeg) throws Exception {
        return new JpegImageParser().getExifMetadata(ByteSource.array(jpeg), null);
    }
}
