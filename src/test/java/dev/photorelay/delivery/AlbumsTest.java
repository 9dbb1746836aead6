package dev.photorelay.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import dev.photorelay.testing.ZapiWireMock.InjectZapi;
import io.quarkus.test.junit.QuarkusTest;

/** Albums: a folder of photos (or a List body) delivered as one message where the platform has one. */
@QuarkusTest
class AlbumsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ProducerTemplate producer;

    @InjectTelegram
    WireMockServer telegram;

    @InjectZapi
    WireMockServer zapi;

    @InjectSonoran
    WireMockServer sonoran;

    @InjectInbox
    Inbox inbox;

    @Test
    void anAlbumFolderGoesToTelegramAsOneMediaGroupWithItsPhotosInOrderAndTheCaptionOnTheFirst() throws Exception {
        Map<String, byte[]> photos = photos(3, "scene-");
        inbox.dropSidecar("telegram/71001/incident-42", """
                {"caption": "Incident 42", "parseMode": "HTML"}""");
        inbox.dropAlbum("telegram/71001/incident-42", photos);

        JsonNode receipt = inbox.awaitSent("telegram/71001/incident-42");

        LoggedRequest album = Received.only(Received.telegramAlbums(telegram, "71001"));
        assertThat(Received.telegram(telegram, "71001")).isEmpty();
        JsonNode media = JSON.readTree(album.getPart("media").getBody().asString());
        assertThat(media).hasSize(3);
        List<String> names = new ArrayList<>(photos.keySet());
        for (int i = 0; i < 3; i++) {
            assertThat(media.get(i).path("type").asText()).isEqualTo("photo");
            String part = media.get(i).path("media").asText().substring("attach://".length());
            assertThat(album.getPart(part).getBody().asBytes()).isEqualTo(photos.get(names.get(i)));
            assertThat(album.getPart(part).getHeader("Content-Disposition").firstValue())
                    .contains("filename=\"" + names.get(i) + "\"");
        }
        assertThat(media.get(0).path("caption").asText()).isEqualTo("Incident 42");
        assertThat(media.get(0).path("parse_mode").asText()).isEqualTo("HTML");
        assertThat(media.get(1).has("caption")).isFalse();

        assertThat(receipt.path("status").asText()).isEqualTo("sent");
        assertThat(receipt.path("photos")).extracting(JsonNode::asText).containsExactlyElementsOf(names);
        JsonNode outcome = receipt.path("recipients").get(0);
        assertThat(outcome.path("messageId").asText()).isEqualTo("201");
        assertThat(outcome.path("photos")).extracting(p -> p.path("messageId").asText())
                .containsExactly("201", "202", "203");
        assertThat(outcome.path("photos")).extracting(p -> p.path("file").asText()).containsExactlyElementsOf(names);
        for (String name : names) {
            assertThat(Files.readAllBytes(inbox.sent("telegram/71001/incident-42/" + name))).isEqualTo(photos.get(name));
        }
        assertThat(inbox.sent("telegram/71001/incident-42.json")).exists();
        // the folder stays, emptied: a producer still writing into it would lose nothing
        assertThat(inbox.root().resolve("telegram/71001/incident-42")).isEmptyDirectory();
    }

    @Test
    void twelvePhotosGoToTelegramInGroupsOfAtMostTenInOrder() throws Exception {
        Map<String, byte[]> photos = photos(12, "p");
        double retriesBefore = metric("relay_retries_total{target=\"telegram\"}");
        double deliveredBefore = metric("relay_photos_delivered_total{target=\"telegram\"}");
        inbox.dropSidecar("telegram/71002/trip", """
                {"caption": "Trip"}""");
        inbox.dropAlbum("telegram/71002/trip", photos);

        JsonNode receipt = inbox.awaitSent("telegram/71002/trip");

        List<LoggedRequest> groups = Received.telegramAlbums(telegram, "71002");
        assertThat(groups).hasSize(2);
        List<byte[]> sent = new ArrayList<>();
        for (LoggedRequest group : groups) {
            JsonNode media = JSON.readTree(group.getPart("media").getBody().asString());
            for (JsonNode item : media) {
                sent.add(group.getPart(item.path("media").asText().substring("attach://".length())).getBody().asBytes());
            }
        }
        assertThat(JSON.readTree(groups.get(0).getPart("media").getBody().asString())).hasSize(10);
        assertThat(JSON.readTree(groups.get(1).getPart("media").getBody().asString())).hasSize(2);
        assertThat(sent).containsExactlyElementsOf(photos.values());
        assertThat(JSON.readTree(groups.get(0).getPart("media").getBody().asString()).get(0).path("caption").asText())
                .isEqualTo("Trip");
        assertThat(JSON.readTree(groups.get(1).getPart("media").getBody().asString()).get(0).has("caption")).isFalse();
        JsonNode outcome = receipt.path("recipients").get(0);
        assertThat(outcome.path("photos")).hasSize(12);
        assertThat(outcome.path("attempts").asInt()).isEqualTo(2);
        // two calls, neither made again: no retry; twelve photos delivered
        assertThat(metric("relay_retries_total{target=\"telegram\"}")).isEqualTo(retriesBefore);
        assertThat(metric("relay_photos_delivered_total{target=\"telegram\"}")).isEqualTo(deliveredBefore + 12);
    }

    /** A counter's value from /q/metrics (0 before it is first counted). */
    private static double metric(String series) {
        return given().get("/q/metrics").asString().lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).findFirst().orElse(0);
    }

    @Test
    void anAlbumFolderGoesToSonoranInOneCallWithOneEntryPerPhotoEachUrlServingItsPhoto() throws Exception {
        Map<String, byte[]> photos = photos(3, "cam-");
        inbox.dropAlbum("sonoran/STEAM:7101/scene", photos);

        inbox.awaitSent("sonoran/STEAM:7101/scene");

        JsonNode body = JSON.readTree(Received.only(Received.sonoran(sonoran, "STEAM:7101")).getBodyAsString());
        JsonNode data = body.path("data");
        assertThat(data).hasSize(3);
        int i = 0;
        for (byte[] photo : photos.values()) {
            assertThat(data.get(i).path("apiId").asText()).isEqualTo("STEAM:7101");
            assertThat(given().get(data.get(i).path("url").asText()).asByteArray()).isEqualTo(photo);
            i++;
        }
    }

    @Test
    void anAlbumFolderGoesToZapiAsOneImagePerCallInOrderWithTheCaptionOnTheFirst() throws Exception {
        Map<String, byte[]> photos = photos(3, "z");
        inbox.dropSidecar("zapi/5511971000001/visit", """
                {"caption": "Visit"}""");
        inbox.dropAlbum("zapi/5511971000001/visit", photos);

        JsonNode receipt = inbox.awaitSent("zapi/5511971000001/visit");

        List<LoggedRequest> calls = Received.zapi(zapi, "5511971000001");
        assertThat(calls).hasSize(3);
        int i = 0;
        for (byte[] photo : photos.values()) {
            JsonNode call = JSON.readTree(calls.get(i).getBodyAsString());
            assertThat(dataUriBytes(call.path("image").asText())).isEqualTo(photo);
            assertThat(call.has("caption")).isEqualTo(i == 0);
            i++;
        }
        assertThat(receipt.path("recipients").get(0).path("photos")).hasSize(3);
    }

    @Test
    void anAlbumFolderOfAnAliasReachesEveryPlatformOfIt() throws Exception {
        Map<String, byte[]> photos = photos(2, "a");
        inbox.dropAlbum(TempInbox.ALBUM_TRIO + "/outing", photos);

        JsonNode receipt = inbox.awaitSent(TempInbox.ALBUM_TRIO + "/outing");

        assertThat(receipt.path("recipients")).hasSize(3);
        assertThat(Received.only(Received.telegramAlbums(telegram, "70070")).getPart("media")).isNotNull();
        assertThat(Received.zapi(zapi, "5511970000070")).hasSize(2);
        assertThat(JSON.readTree(Received.only(Received.sonoran(sonoran, "STEAM:7070")).getBodyAsString())
                .path("data")).hasSize(2);
    }

    @Test
    void anAlbumFolderStillBeingFilledIsNotTakenEarly() throws Exception {
        Path folder = inbox.root().resolve("telegram/71003/arriving");
        Files.createDirectories(folder);
        // a copy tool writing one photo after another straight into the folder, a temporary name for the one in hand
        Files.write(folder.resolve("1.jpg"), TestImages.jpeg(30, 30));
        for (int n = 2; n <= 4; n++) {
            Thread.sleep(200);
            Path part = folder.resolve(n + ".jpg.part");
            Files.write(part, TestImages.jpeg(30 + n, 30));
            Thread.sleep(400);
            Files.move(part, folder.resolve(n + ".jpg"));
        }

        JsonNode receipt = inbox.awaitSent("telegram/71003/arriving");

        LoggedRequest album = Received.only(Received.telegramAlbums(telegram, "71003"));
        assertThat(JSON.readTree(album.getPart("media").getBody().asString())).hasSize(4);
        assertThat(receipt.path("photos")).hasSize(4);
    }

    @Test
    void aPhotoAddedToAnAlbumWhileItIsSentStaysInTheInboxAndGoesAsAnAlbumOfItsOwn() throws Exception {
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_MEDIA_GROUP)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo("71011")))
                .willReturn(okJson("{\"ok\":true,\"result\":[{\"message_id\":301},{\"message_id\":302}]}")
                        .withFixedDelay(1500)));
        Map<String, byte[]> photos = photos(2, "first-");
        inbox.dropAlbum("telegram/71011/late", photos);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Received.telegramAlbums(telegram, "71011").isEmpty());
        // named to come first: the album in flight must not be taken again under a new first photo
        byte[] late = TestImages.jpeg(77, 77);
        inbox.drop("telegram/71011/late/00-late.jpg", late);
        // and a copy still being written under rsync's hidden name stays with it, not filed as sent
        Path writing = inbox.root().resolve("telegram/71011/late/.01-writing.jpg.Xy12Zq");
        Files.write(writing, java.util.Arrays.copyOf(late, 100));

        JsonNode first = inbox.awaitSent("telegram/71011/late");
        JsonNode second = inbox.awaitSent("telegram/71011/late-1");

        assertThat(first.path("photos")).extracting(JsonNode::asText).containsExactlyElementsOf(photos.keySet());
        assertThat(second.path("photos")).extracting(JsonNode::asText).containsExactly("00-late.jpg");
        assertThat(Files.readAllBytes(inbox.sent("telegram/71011/late-1/00-late.jpg"))).isEqualTo(late);
        assertThat(inbox.sent("telegram/71011/late/00-late.jpg")).doesNotExist();
        assertThat(inbox.sent("telegram/71011/late/.01-writing.jpg.Xy12Zq")).doesNotExist();
        assertThat(Received.telegramAlbums(telegram, "71011")).as("the album went once").hasSize(1);
        assertThat(Received.only(Received.telegram(telegram, "71011")).getPart("photo").getBody().asBytes())
                .as("the late photo, alone").isEqualTo(late);
    }

    @Test
    void aFolderInsideAnAlbumIsNoPartOfItAndItsFilesAreRefusedNotFiledAsSent() throws Exception {
        Path building = inbox.root().resolve("telegram/71015/.nested");
        Files.createDirectories(building.resolve("sub"));
        Files.write(building.resolve("01.jpg"), TestImages.jpeg(35, 35));
        Files.write(building.resolve("02.jpg"), TestImages.jpeg(36, 35));
        Files.write(building.resolve("sub/deep.jpg"), TestImages.jpeg(37, 35));
        Files.move(building, building.resolveSibling("nested"));

        JsonNode receipt = inbox.awaitSent("telegram/71015/nested");
        JsonNode refused = inbox.awaitFailed("telegram/71015/nested/sub/deep.jpg");

        assertThat(receipt.path("photos")).extracting(JsonNode::asText).containsExactly("01.jpg", "02.jpg");
        assertThat(refused.path("code").asText()).isEqualTo("UNKNOWN_DESTINATION");
        assertThat(inbox.sent("telegram/71015/nested/sub")).doesNotExist();
    }

    @Test
    void anAlbumWithABackslashInAPhotosNameIsTakenOnceWhole() throws Exception {
        Map<String, byte[]> photos = new LinkedHashMap<>();
        photos.put("b.jpg", TestImages.jpeg(51, 50));
        photos.put("c\\d.jpg", TestImages.jpeg(52, 50));
        photos.put("e.jpg", TestImages.jpeg(53, 50));
        inbox.dropAlbum("telegram/71016/slashed", photos);

        JsonNode receipt = inbox.awaitSent("telegram/71016/slashed");

        assertThat(receipt.path("photos")).extracting(JsonNode::asText).containsExactly("b.jpg", "c\\d.jpg", "e.jpg");
        assertThat(Received.telegramAlbums(telegram, "71016")).hasSize(1);
        assertThat(Received.telegram(telegram, "71016")).isEmpty();
    }

    @Test
    void anAlbumWhoseFirstEntryIsALinkToAFolderFailsWithARecordInsteadOfWaitingForEver() throws Exception {
        Path building = inbox.root().resolve("telegram/71017/.linked");
        Files.createDirectories(building);
        Files.createSymbolicLink(building.resolve("a-link"), Files.createTempDirectory("elsewhere"));
        Files.write(building.resolve("b.jpg"), TestImages.jpeg(54, 50));
        Files.move(building, building.resolveSibling("linked"));

        JsonNode record = inbox.awaitFailed("telegram/71017/linked");

        assertThat(record.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(record.path("message").asText()).contains("a-link");
        assertThat(Received.telegramAlbums(telegram, "71017")).isEmpty();
    }

    @Test
    void anOlderAlbumGoesBeforeANewerPhotoToTheSameRecipient() throws Exception {
        Path building = inbox.root().resolve("telegram/.older");
        Files.createDirectories(building);
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600));
        for (String name : new String[] { "1.jpg", "2.jpg" }) {
            Files.write(building.resolve(name), TestImages.jpeg(55, 50));
            Files.setLastModifiedTime(building.resolve(name), old);
        }
        Files.setLastModifiedTime(building, old);
        Path single = inbox.root().resolve("telegram/.newer.jpg");
        Files.write(single, TestImages.jpeg(56, 50));
        Files.setLastModifiedTime(single, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));
        Files.createDirectories(inbox.root().resolve("telegram/71018"));
        Files.move(single, inbox.root().resolve("telegram/71018/newer.jpg"));
        Files.move(building, inbox.root().resolve("telegram/71018/older"));

        inbox.awaitSent("telegram/71018/older");
        inbox.awaitSent("telegram/71018/newer.jpg");

        LoggedRequest album = Received.only(Received.telegramAlbums(telegram, "71018"));
        LoggedRequest photo = Received.only(Received.telegram(telegram, "71018"));
        assertThat(album.getLoggedDate()).as("the album, an hour old, first").isBefore(photo.getLoggedDate());
    }

    @Test
    void anApiUploadCutShortIsRefusedAsTruncatedAloneOrInAnAlbum() {
        byte[] whole = TestImages.jpeg(57, 50);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);

        authorized().multiPart("file", "cut.jpg", cut, "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "71019")
                .post("/api/photos").then().statusCode(400).body("code", is("UNSUPPORTED_MEDIA"))
                .body("detail", containsString("truncated"));
        authorized().multiPart("file", "whole.jpg", whole, "image/jpeg").multiPart("file", "cut.jpg", cut, "image/jpeg")
                .multiPart("target", "telegram").multiPart("recipient", "71019")
                .post("/api/photos").then().statusCode(400).body("code", is("UNSUPPORTED_MEDIA"))
                .body("detail", containsString("cut.jpg"));
        assertThat(Received.telegram(telegram, "71019")).isEmpty();
        assertThat(Received.telegramAlbums(telegram, "71019")).isEmpty();
    }

    @Test
    void aFolderUnderATemporaryNameIsNotTakenUntilRenamed() throws Exception {
        Path filling = inbox.root().resolve("telegram/71013/inc.part");
        Files.createDirectories(filling);
        Files.write(filling.resolve("01.jpg"), TestImages.jpeg(33, 33));
        // nothing is taken while it keeps its temporary name: held for longer than stable-for and several polls
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> Received.telegram(telegram, "71013").isEmpty() && Files.exists(filling.resolve("01.jpg")));
        Files.write(filling.resolve("02.jpg"), TestImages.jpeg(34, 33));
        Files.move(filling, filling.resolveSibling("inc"));

        JsonNode receipt = inbox.awaitSent("telegram/71013/inc");

        assertThat(receipt.path("photos")).extracting(JsonNode::asText).containsExactly("01.jpg", "02.jpg");
    }

    @Test
    void aGifInAnAlbumForWhatsAppFailsItBeforeAnyCallNamingThePhoto() throws Exception {
        Map<String, byte[]> photos = photos(2, "g-");
        photos.put("g-03.gif", TestImages.gif(20, 20));
        inbox.dropAlbum("zapi/5511971000002/anim", photos);

        JsonNode record = inbox.awaitFailed("zapi/5511971000002/anim");

        assertThat(record.path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(record.path("message").asText()).contains("g-03.gif");
        assertThat(record.path("recipients").get(0).path("attempts").asInt()).isZero();
        assertThat(Received.zapi(zapi, "5511971000002")).isEmpty();
    }

    @Test
    void aNonImageInAnAlbumFailsTheWholeAlbumBeforeAnyCallNamingIt() throws Exception {
        Map<String, byte[]> photos = photos(2, "ok-");
        photos.put("notes.txt", "not a photo".getBytes());
        inbox.dropAlbum("telegram/71004/mixed", photos);

        JsonNode record = inbox.awaitFailed("telegram/71004/mixed");

        assertThat(record.path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(record.path("message").asText()).contains("notes.txt");
        assertThat(Received.telegramAlbums(telegram, "71004")).isEmpty();
        assertThat(Received.telegram(telegram, "71004")).isEmpty();
        assertThat(inbox.failed("telegram/71004/mixed/notes.txt")).exists();
    }

    @Test
    void aTruncatedPhotoInAnAlbumFailsTheWholeAlbumBeforeAnyCallNamingIt() throws Exception {
        Map<String, byte[]> photos = photos(2, "t-");
        byte[] whole = TestImages.jpeg(50, 50);
        photos.put("t-3.jpg", java.util.Arrays.copyOf(whole, whole.length / 2));
        inbox.dropAlbum("telegram/71008/cut", photos);

        JsonNode record = inbox.awaitFailed("telegram/71008/cut");

        assertThat(record.path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(record.path("message").asText()).contains("t-3.jpg").contains("truncated");
        assertThat(Received.telegramAlbums(telegram, "71008")).isEmpty();
        assertThat(Received.telegram(telegram, "71008")).isEmpty();
    }

    @Test
    void aListBodyThroughDirectIsOneAlbumAndTheReplyListsEveryMessageId() {
        byte[] first = TestImages.jpeg(40, 30);
        byte[] second = TestImages.png(30, 40);

        DeliveryResult result = producer.requestBodyAndHeaders("direct:send-photo",
                List.of(new NamedPhoto("one.jpg", first), second),
                Map.of(PhotoHeaders.TARGET, "telegram", PhotoHeaders.RECIPIENT, "71005", PhotoHeaders.CAPTION, "two"),
                DeliveryResult.class);

        LoggedRequest album = Received.only(Received.telegramAlbums(telegram, "71005"));
        assertThat(album.getPart("photo0").getBody().asBytes()).isEqualTo(first);
        assertThat(album.getPart("photo1").getBody().asBytes()).isEqualTo(second);
        assertThat(album.getPart("photo1").getHeader("Content-Type").firstValue()).isEqualTo("image/png");
        assertThat(result.outcomes().get(0).photos()).extracting(AlbumPhoto::messageId).containsExactly("201", "202");
        assertThat(result.outcomes().get(0).photos()).extracting(AlbumPhoto::file).containsExactly("one.jpg", "photo-2.png");
    }

    @Test
    void aListBodyWithABadItemFailsBeforeAnyCallNamingTheItem() {
        assertThatThrownBy(() -> producer.requestBodyAndHeaders("direct:send-photo",
                List.of(TestImages.jpeg(10, 10), "   "),
                Map.of(PhotoHeaders.TARGET, "telegram", PhotoHeaders.RECIPIENT, "71006")))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(PhotoDeliveryException.class).hasMessageContaining("photo 2 of the album");
        assertThat(Received.telegramAlbums(telegram, "71006")).isEmpty();
    }

    @Test
    void anAlbumOverTheLimitFailsWholeBeforeAnyCall() {
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(TestImages.jpeg(8, 8));
        }
        assertThatThrownBy(() -> producer.requestBodyAndHeaders("direct:send-photo", many,
                Map.of(PhotoHeaders.TARGET, "telegram", PhotoHeaders.RECIPIENT, "71007")))
                .cause().hasMessageContaining("relay.album.max-photos");
        assertThat(Received.telegramAlbums(telegram, "71007")).isEmpty();
    }

    @Test
    void severalFilePartsThroughTheApiAreOneAlbumInTheOrderOfTheParts() throws Exception {
        byte[] first = TestImages.jpeg(61, 40);
        byte[] second = TestImages.jpeg(62, 40);
        byte[] third = TestImages.png(63, 40);

        authorized().multiPart("file", "b-first.jpg", first, "image/jpeg")
                .multiPart("file", "a-second.jpg", second, "image/jpeg")
                .multiPart("file", "c-third.png", third, "image/png")
                .multiPart("target", "telegram").multiPart("recipient", "71009").multiPart("caption", "three")
                .post("/api/photos")
                .then().statusCode(200).body("status", is("sent"))
                .body("recipients[0].photos.messageId", contains("201", "202", "203"))
                .body("recipients[0].photos.file", contains("b-first.jpg", "a-second.jpg", "c-third.png"));

        LoggedRequest album = Received.only(Received.telegramAlbums(telegram, "71009"));
        JsonNode media = JSON.readTree(album.getPart("media").getBody().asString());
        assertThat(album.getPart(attached(media, 0)).getBody().asBytes()).isEqualTo(first);
        assertThat(album.getPart(attached(media, 1)).getBody().asBytes()).isEqualTo(second);
        assertThat(album.getPart(attached(media, 2)).getBody().asBytes()).isEqualTo(third);
        assertThat(media.get(0).path("caption").asText()).isEqualTo("three");
    }

    @Test
    void jsonImagesThroughTheApiAreOneAlbumAndWithRespondAsyncItIsFiledAsOne() {
        byte[] first = TestImages.jpeg(64, 40);
        byte[] second = TestImages.jpeg(65, 40);

        String location = authorized().header("Prefer", "respond-async").contentType("application/json")
                .body(Map.of("images", List.of(dataUri(first), dataUri(second)), "target", "sonoran",
                        "recipient", "STEAM:7110"))
                .post("/api/photos").then().statusCode(202).extract().header("Location");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> authorized().get(location)
                .then().statusCode(200).body("status", is("sent")).body("record.photos", contains("01.jpg", "02.jpg")));
        JsonNode data = readJson(Received.only(Received.sonoran(sonoran, "STEAM:7110")).getBodyAsString()).path("data");
        assertThat(given().get(data.get(0).path("url").asText()).asByteArray()).isEqualTo(first);
        assertThat(given().get(data.get(1).path("url").asText()).asByteArray()).isEqualTo(second);
    }

    @Test
    void anApiAlbumGoesOnWhenItsClientLeavesBeforeItIsDelivered() throws Exception {
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_MEDIA_GROUP)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo("71012")))
                .willReturn(okJson("{\"ok\":true,\"result\":[{\"message_id\":401},{\"message_id\":402}]}")
                        .withFixedDelay(1000)));
        var request = authorized().config(io.restassured.config.RestAssuredConfig.config().httpClient(
                io.restassured.config.HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 500)));
        Map<String, byte[]> photos = photos(12, "left-");
        photos.forEach((name, photo) -> request.multiPart("file", name, photo, "image/jpeg"));

        assertThatThrownBy(() -> request.multiPart("target", "telegram").multiPart("recipient", "71012")
                .post("/api/photos")).as("the client gives up after half a second").isNotNull();

        await().atMost(Duration.ofSeconds(30)).until(() -> Received.telegramAlbums(telegram, "71012").size() == 2);
        LoggedRequest last = Received.telegramAlbums(telegram, "71012").get(1);
        assertThat(last.getPart("photo0").getBody().asBytes()).isEqualTo(photos.get("left-11.jpg"));
        assertThat(last.getPart("photo1").getBody().asBytes()).isEqualTo(photos.get("left-12.jpg"));
        // and once done, nothing of it is left in the uploads folder
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (var left = Files.list(inbox.root().resolve(".uploads"))) {
                return left.findAny().isEmpty();
            }
        });
    }

    @Test
    void anAsyncAlbumIsRefusedAtOnceWhenItHoldsNoPhotoOrTooMany() {
        authorized().header("Prefer", "respond-async").contentType("application/json")
                .body(Map.of("images", List.of(), "target", "telegram", "recipient", "71014"))
                .post("/api/photos").then().statusCode(400).body("detail", containsString("no photo"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(dataUri(TestImages.jpeg(8, 8)));
        }
        authorized().header("Prefer", "respond-async").contentType("application/json")
                .body(Map.of("images", many, "target", "telegram", "recipient", "71014"))
                .post("/api/photos").then().statusCode(400).body("detail", containsString("relay.album.max-photos"));
        assertThat(inbox.root().resolve("telegram/71014")).doesNotExist();
    }

    @Test
    void theApiRefusesAnImageAndImagesTogetherAndImagesThatAreNoList() {
        authorized().contentType("application/json")
                .body(Map.of("image", dataUri(TestImages.png(5, 5)), "images", List.of(dataUri(TestImages.png(5, 5))),
                        "target", "telegram", "recipient", "71010"))
                .post("/api/photos").then().statusCode(400).body("code", is("INVALID_REQUEST"));
        authorized().contentType("application/json")
                .body(Map.of("images", dataUri(TestImages.png(5, 5)), "target", "telegram", "recipient", "71010"))
                .post("/api/photos").then().statusCode(400).body("detail", containsString("images must be a list"));
        assertThat(Received.telegram(telegram, "71010")).isEmpty();
    }

    private static String attached(JsonNode media, int i) {
        return media.get(i).path("media").asText().substring("attach://".length());
    }

    private static String dataUri(byte[] photo) {
        return "data:image/jpeg;base64," + java.util.Base64.getEncoder().encodeToString(photo);
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static io.restassured.specification.RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + TempInbox.API_TOKEN);
    }

    /** Distinct photos, named in order (01, 02, ...: the relay orders an album by name). */
    private static Map<String, byte[]> photos(int count, String prefix) {
        Map<String, byte[]> photos = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            photos.put(String.format("%s%02d.jpg", prefix, i), TestImages.jpeg(20 + i, 20));
        }
        return photos;
    }

    private static byte[] dataUriBytes(String uri) {
        return java.util.Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1));
    }
}
