package dev.photorelay.platforms;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.SonoranWireMock;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SonoranTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectSonoran
    WireMockServer sonoran;

    @InjectInbox
    Inbox inbox;

    @Test
    void droppedPhotoIsPublishedAndItsUrlServesTheExactBytesAndType() throws Exception {
        byte[] photo = TestImages.jpeg(800, 600);
        inbox.drop("sonoran/STEAM:1234/scene.jpg", photo);

        JsonNode receipt = inbox.awaitSent("sonoran/STEAM:1234/scene.jpg");

        JsonNode body = JSON.readTree(Received.only(Received.sonoran(sonoran, "STEAM:1234")).getBodyAsString());
        assertThat(body.path("id").asText()).isEqualTo(SonoranWireMock.COMMUNITY);
        assertThat(body.path("key").asText()).isEqualTo(SonoranWireMock.API_KEY);
        assertThat(body.path("type").asText()).isEqualTo("SEND_PHOTO");
        String url = body.path("data").get(0).path("url").asText();
        assertThat(url).matches("http://localhost:\\d+/media/[A-Za-z0-9_-]{43}");

        Response served = given().get(url);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.contentType()).isEqualTo("image/jpeg");
        assertThat(served.asByteArray()).isEqualTo(photo);
        given().head(url).then().statusCode(200).contentType("image/jpeg");
        assertThat(receipt.path("recipients").get(0).path("status").asText()).isEqualTo("sent");
    }

    @Test
    void aPhotoTakenLongAgoIsServedForTheWholeTtlAfterItIsFiledAway() throws Exception {
        byte[] photo = TestImages.jpeg(120, 90);
        Path dropped = inbox.drop("sonoran/STEAM:1235/old.jpg", photo);
        // a camera's photo from last week: its own file time must not count as its publish time
        Files.setLastModifiedTime(dropped, FileTime.from(Instant.now().minus(Duration.ofDays(7))));

        inbox.awaitSent("sonoran/STEAM:1235/old.jpg");

        String url = JSON.readTree(Received.only(Received.sonoran(sonoran, "STEAM:1235")).getBodyAsString())
                .path("data").get(0).path("url").asText();
        assertThat(inbox.sent("sonoran/STEAM:1235/old.jpg")).exists();
        assertThat(given().get(url).asByteArray()).isEqualTo(photo);
    }

    @Test
    void mediaHostAnswersNotFoundForAnythingButAPublishedToken() {
        given().get("/media/").then().statusCode(404);
        given().get("/media/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").then().statusCode(404);
        given().urlEncodingEnabled(false).get("/media/..%2F..%2Fetc%2Fpasswd").then().statusCode(404);
        given().urlEncodingEnabled(false).get("/media/..%2Finbox").then().statusCode(404);
    }
}
