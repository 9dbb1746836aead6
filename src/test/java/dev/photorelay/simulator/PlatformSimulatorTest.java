package dev.photorelay.simulator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.TestImages;

/**
 * The simulated platforms take what the real ones take and refuse, in their own words, what the real ones refuse.
 * Photos they are given as URLs are fetched from a WireMock server standing in for the relay's media host.
 */
class PlatformSimulatorTest {

    private static final PlatformCredentials CREDENTIALS = new PlatformCredentials("123:bot-token", "INSTANCE",
            "instance-token", "client-token", "community", "api-key");
    private static final String TELEGRAM_BOT = "/bot123:bot-token/";
    private static final String TELEGRAM = TELEGRAM_BOT + "sendPhoto";
    private static final String ZAPI = "/instances/INSTANCE/token/instance-token/send-image";
    private static final String SONORAN = "/general/send_photo";
    private static final byte[] PHOTO = TestImages.jpeg(64, 48);
    /** Photos at {@code /media/a}, {@code /media/b} and {@code /media/c}, each its own. */
    private static final Map<String, byte[]> ALBUM = Map.of("a", TestImages.jpeg(30, 20), "b", TestImages.png(20, 30),
            "c", TestImages.jpeg(25, 25));

    private static WireMockServer media;
    private final List<Received> received = new ArrayList<>();
    private final PlatformSimulator simulator = new PlatformSimulator(CREDENTIALS,
            url -> url.startsWith(media.url("/media/")), received::add);

    @BeforeAll
    static void startMediaHost() {
        media = new WireMockServer(options().dynamicPort());
        media.start();
        media.stubFor(get("/media/photo").willReturn(aResponse().withHeader("Content-Type", "image/jpeg").withBody(PHOTO)));
        ALBUM.forEach((name, photo) -> media.stubFor(get("/media/" + name).willReturn(aResponse().withBody(photo))));
        media.stubFor(get("/media/page").willReturn(aResponse().withHeader("Content-Type", "text/html").withBody("<html>")));
        media.stubFor(get("/media/moved").willReturn(aResponse().withStatus(302).withHeader("Location",
                media.url("/elsewhere/photo"))));
        media.stubFor(get("/elsewhere/photo").willReturn(aResponse().withBody(PHOTO)));
        media.stubFor(get("/q/metrics").willReturn(aResponse().withBody("secret_metric 1")));
    }

    @AfterAll
    static void stopMediaHost() {
        media.stop();
    }

    @Test
    void telegramTakesAMultipartUploadAndAnswersWithTheMessage() {
        SimulatedAnswer answer = telegramUpload(Map.of("chat_id", "987654321", "caption", "Hi"), PHOTO);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).startsWith("{\"ok\":true,\"result\":{\"message_id\":").contains("\"caption\":\"Hi\"");
        Received photo = received.get(0);
        assertThat(photo.platform()).isEqualTo("telegram");
        assertThat(photo.recipient()).isEqualTo("987654321");
        assertThat(photo.caption()).isEqualTo("Hi");
        assertThat(photo.mediaType()).isEqualTo("image/jpeg");
        assertThat(photo.photo()).isEqualTo(PHOTO);
    }

    @Test
    void telegramTakesADocumentInItsDocumentFieldAndAnswersWithADocument() {
        SimulatedAnswer answer = telegramUpload("sendDocument", "document", Map.of("chat_id", "987654321"), PHOTO);
        SimulatedAnswer photoField = telegramUpload("sendDocument", "photo", Map.of("chat_id", "987654321"), PHOTO);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"document\":{\"file_id\":", "\"mime_type\":\"image/jpeg\"")
                .doesNotContain("\"photo\"");
        assertThat(received.get(0).photo()).isEqualTo(PHOTO);
        assertThat(photoField.status()).isEqualTo(400);
    }

    @Test
    void telegramTakesAnAlbumOfUploadedPhotosAsOneMessageEachInOrderSharingAMediaGroup() throws Exception {
        byte[][] photos = { TestImages.jpeg(64, 48), TestImages.jpeg(48, 64), TestImages.png(40, 40) };
        SimulatedAnswer answer = telegramAlbum(photoItems(3), Map.of("p0", photos[0], "p1", photos[1], "p2", photos[2]));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode reply = new ObjectMapper().readTree(answer.body());
        assertThat(reply.path("ok").asBoolean()).isTrue();
        List<JsonNode> messages = new ArrayList<>();
        reply.path("result").forEach(messages::add);
        assertThat(messages).hasSize(3);
        assertThat(messages).extracting(message -> message.path("message_id").asLong()).isSorted().doesNotHaveDuplicates();
        String album = messages.get(0).path("media_group_id").asText();
        assertThat(album).isNotEmpty().isEqualTo(received.get(0).album());
        assertThat(messages).allSatisfy(message -> {
            assertThat(message.path("media_group_id").asText()).isEqualTo(album);
            assertThat(message.path("chat").path("id").asLong()).isEqualTo(987654321L);
            assertThat(message.path("date").isNumber()).isTrue();
            assertThat(message.path("photo").path(0).path("file_id").asText()).isNotEmpty();
        });
        assertThat(messages).extracting(message -> message.path("caption").asText(null)).containsExactly("Scene", null, null);

        assertThat(received).hasSize(3).allSatisfy(photo -> {
            assertThat(photo.album()).isEqualTo(album);
            assertThat(photo.recipient()).isEqualTo("987654321");
            assertThat(photo.answer()).isEqualTo(answer);
        });
        assertThat(received).extracting(Received::albumIndex).containsExactly(0, 1, 2);
        assertThat(received).extracting(Received::photo).containsExactly(photos);
        assertThat(received).extracting(Received::caption).containsExactly("Scene", null, null);
    }

    @Test
    void telegramTakesAnAlbumOfUrlsAndFileIdsSentAsJson() {
        String fileId = telegramUpload(Map.of("chat_id", "5"), PHOTO).body().replaceAll(".*\"file_id\":\"([^\"]+)\".*", "$1");
        received.clear();

        SimulatedAnswer answer = call("POST", TELEGRAM.replace("sendPhoto", "sendMediaGroup"), "application/json",
                "{\"chat_id\":-100123,\"media\":[{\"type\":\"photo\",\"media\":\"" + media.url("/media/photo")
                        + "\"},{\"type\":\"photo\",\"media\":\"" + fileId + "\"}]}", Map.of());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(received).extracting(Received::photo).containsExactly(PHOTO, PHOTO);
        assertThat(received.get(0).fetchedBytes()).isEqualTo(PHOTO.length);
    }

    @Test
    void telegramRefusesAnAlbumOfFewerThanTwoOrMoreThanTenItems() {
        assertThat(telegramAlbum(photoItems(11), parts(11, PHOTO)).body())
                .contains("\"error_code\":400", "Bad Request: too many messages to send as an album");
        assertThat(telegramAlbum(photoItems(1), parts(1, PHOTO)).body()).contains("\"error_code\":400", "2-10 items");
        assertThat(telegramAlbum(photoItems(0), Map.of()).body()).contains("\"error_code\":400", "2-10 items");
        assertThat(received).hasSize(3).allSatisfy(call -> {
            assertThat(call.answer().accepted()).isFalse();
            assertThat(call.photo()).isNull();
        });
    }

    @Test
    void telegramRefusesAnAlbumItemAttachingAPartTheRequestDoesNotHave() {
        SimulatedAnswer answer = telegramAlbum(photoItems(3), parts(2, PHOTO));

        assertThat(answer.body()).isEqualTo("{\"ok\":false,\"error_code\":400,"
                + "\"description\":\"Bad Request: can't parse InputMedia: media not found\"}");
        assertThat(received).singleElement().satisfies(call -> assertThat(call.photo()).isNull());
    }

    @Test
    void telegramRefusesAnAlbumMixingPhotosAndDocuments() {
        SimulatedAnswer answer = telegramAlbum("[{\"type\":\"photo\",\"media\":\"attach://p0\"},"
                + "{\"type\":\"document\",\"media\":\"attach://p1\"}]", parts(2, PHOTO));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("Bad Request: document can't be mixed with other media types");
        assertThat(telegramAlbum("[{\"type\":\"document\",\"media\":\"attach://p0\"},"
                + "{\"type\":\"document\",\"media\":\"attach://p1\"}]", parts(2, PHOTO)).body())
                .contains("\"document\":{\"file_id\":");
    }

    @Test
    void telegramRefusesAWholeAlbumForOnePhotoSendPhotoWouldRefuse() {
        byte[] tooBig = Arrays.copyOf(PHOTO, PlatformSimulator.MAX_PHOTO_BYTES + 1);

        SimulatedAnswer answer = telegramAlbum(photoItems(3), Map.of("p0", PHOTO, "p1", tooBig, "p2", PHOTO));
        SimulatedAnswer longCaption = telegramAlbum("[{\"type\":\"photo\",\"media\":\"attach://p0\"},"
                + "{\"type\":\"photo\",\"media\":\"attach://p1\",\"caption\":\"" + "x".repeat(1025) + "\"}]",
                parts(2, PHOTO));

        assertThat(answer.body()).contains("\"error_code\":400", "Bad Request: file is too big");
        assertThat(received.subList(0, 3)).allSatisfy(photo -> assertThat(photo.answer()).isEqualTo(answer))
                .extracting(Received::albumIndex).containsExactly(0, 1, 2);
        assertThat(longCaption.body()).contains("message caption is too long");
    }

    @Test
    void onlyTheRelaysMediaHostIsFetchedWithoutRedirectsAndNothingRefusedIsKept() {
        for (String url : new String[] { media.url("/q/metrics"), media.url("/elsewhere/photo"), media.url("/media/moved") }) {
            assertThat(call("POST", TELEGRAM, "application/json", "{\"chat_id\":5,\"photo\":\"" + url + "\"}", Map.of())
                    .body()).as(url).contains("failed to get HTTP URL content");
            assertThat(sonoran("community", "api-key", "SEND_PHOTO", url).body()).as(url)
                    .isEqualTo("PHOTO COULD NOT BE RETRIEVED");
        }
        call("POST", TELEGRAM, "application/json", "{\"chat_id\":5,\"photo\":\"" + media.url("/media/page") + "\"}",
                Map.of());

        media.verify(0, getRequestedFor(urlEqualTo("/q/metrics")));
        media.verify(0, getRequestedFor(urlEqualTo("/elsewhere/photo")));
        assertThat(received).allSatisfy(taken -> assertThat(taken.photo()).isNull());
    }

    @Test
    void telegramRefusesAsTelegramDoes() {
        assertThat(call("POST", "/bot999:other/sendPhoto", "application/json", "{}", Map.of()).body())
                .isEqualTo("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
        assertThat(telegramUpload(Map.of(), PHOTO).body()).contains("\"error_code\":400", "chat_id is empty");
        assertThat(telegramUpload(Map.of("chat_id", "not a chat"), PHOTO).body()).contains("chat not found");
        assertThat(telegramUpload(Map.of("chat_id", "@blocked_user"), PHOTO).body())
                .contains("\"error_code\":403", "bot was blocked by the user");
        assertThat(telegramUpload(Map.of("chat_id", "1"), "MZ not an image".getBytes(StandardCharsets.US_ASCII)).body())
                .contains("IMAGE_PROCESS_FAILED");
        assertThat(telegramUpload(Map.of("chat_id", "1", "caption", "x".repeat(1025)), PHOTO).body())
                .contains("message caption is too long");
        assertThat(telegramUpload(Map.of("chat_id", "1", "parse_mode", "BBCode"), PHOTO).body())
                .contains("unsupported parse_mode");
        assertThat(call("POST", TELEGRAM, "application/json", "{\"chat_id\":1}", Map.of()).body())
                .contains("there is no photo in the request");
        assertThat(call("POST", TELEGRAM, "multipart/form-data; boundary=b", "--b\r\nbroken", Map.of()).body())
                .contains("\"error_code\":400", "can't parse request body");
        assertThat(received).allMatch(photo -> !photo.answer().accepted());
    }

    @Test
    void telegramFetchesAUrlAndTakesAFileIdItGaveOut() {
        SimulatedAnswer byUrl = call("POST", TELEGRAM, "application/json",
                "{\"chat_id\":-100123,\"photo\":\"" + media.url("/media/photo") + "\"}", Map.of());
        assertThat(byUrl.status()).isEqualTo(200);
        assertThat(received.get(0).photo()).isEqualTo(PHOTO);
        assertThat(received.get(0).fetchedBytes()).isEqualTo(PHOTO.length);

        String fileId = byUrl.body().replaceAll(".*\"file_id\":\"([^\"]+)\".*", "$1");
        assertThat(call("POST", TELEGRAM, "application/json", "{\"chat_id\":5,\"photo\":\"" + fileId + "\"}", Map.of())
                .status()).isEqualTo(200);
        assertThat(received.get(1).photo()).isEqualTo(PHOTO);

        assertThat(call("POST", TELEGRAM, "application/json", "{\"chat_id\":5,\"photo\":\"AgACAgIAAxkBAAI\"}", Map.of())
                .body()).contains("wrong file identifier/HTTP URL specified");
        assertThat(call("POST", TELEGRAM, "application/json",
                "{\"chat_id\":5,\"photo\":\"" + media.url("/media/page") + "\"}", Map.of()).body())
                .contains("wrong type of the web page content");
        assertThat(call("POST", TELEGRAM, "application/json",
                "{\"chat_id\":5,\"photo\":\"" + media.url("/media/missing") + "\"}", Map.of()).body())
                .contains("failed to get HTTP URL content");
    }

    @Test
    void zapiTakesADataUriWithItsClientTokenAndQueuesAUrlWithoutFetchingIt() {
        SimulatedAnswer answer = zapi("{\"phone\":\"5511999999999\",\"image\":\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(PHOTO) + "\",\"caption\":\"Logo\",\"viewOnce\":false}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"zaapId\"", "\"messageId\"");
        assertThat(received.get(0).photo()).isEqualTo(PHOTO);
        assertThat(received.get(0).caption()).isEqualTo("Logo");

        assertThat(zapi("{\"phone\":\"120363019502650977-group\",\"image\":\"https://example.invalid/x.png\"}").status())
                .isEqualTo(200);
        assertThat(received.get(1).imageUrl()).isEqualTo("https://example.invalid/x.png");
        assertThat(received.get(1).photo()).isNull();
    }

    @Test
    void zapiRefusesAsZapiDoes() {
        String valid = "{\"phone\":\"5511999999999\",\"image\":\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(PHOTO) + "\"}";
        assertThat(call("POST", ZAPI, "application/json", valid, Map.of()))
                .isEqualTo(new SimulatedAnswer(400, "application/json", "{\"error\":\"your client-token is not configured\"}"));
        assertThat(call("POST", ZAPI, "application/json", valid, Map.of("Client-Token", "guess")).status()).isEqualTo(403);
        assertThat(call("POST", "/instances/OTHER/token/instance-token/send-image", "application/json", valid,
                Map.of("Client-Token", "client-token")).body()).contains("Instance not found");
        assertThat(call("GET", ZAPI, "application/json", "", Map.of("Client-Token", "client-token")).status()).isEqualTo(405);
        assertThat(call("POST", ZAPI, "text/plain", valid, Map.of("Client-Token", "client-token")).status()).isEqualTo(415);
        assertThat(zapi("{\"image\":\"data:image/png;base64,AAAA\"}").body()).contains("phone is required");
        assertThat(zapi("{\"phone\":\"+55 11 99999-9999\",\"image\":\"x\"}").body()).contains("Invalid phone");
        assertThat(zapi("{\"phone\":\"5511999999999\",\"image\":\"data:image/png;base64,@@@\"}").body())
                .contains("Invalid base64 image");
        assertThat(zapi("{\"phone\":\"5511999999999\",\"image\":\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString("text".getBytes(StandardCharsets.US_ASCII)) + "\"}").body())
                .contains("Invalid image");
        assertThat(zapi(valid.replace("}", ",\"delayMessage\":20}")).body()).contains("delayMessage");
        assertThat(zapi("{\"phone\":").body()).contains("Invalid JSON");
    }

    @Test
    void sonoranFetchesEachPhotoBeforeItAnswersInPlainText() {
        SimulatedAnswer answer = sonoran("community", "api-key", "SEND_PHOTO", media.url("/media/photo"));

        assertThat(answer).isEqualTo(new SimulatedAnswer(200, "text/plain; charset=UTF-8", "Photo sent!"));
        assertThat(received.get(0).recipient()).isEqualTo("STEAM:1234");
        assertThat(received.get(0).photo()).isEqualTo(PHOTO);
        assertThat(received.get(0).fetchedBytes()).isEqualTo(PHOTO.length);
    }

    @Test
    void sonoranTakesSeveralEntriesInOneCallFetchingEachAsOneAlbum() {
        SimulatedAnswer answer = sonoranData(entry("STEAM:1", media.url("/media/a")),
                entry("STEAM:1", media.url("/media/b")), entry("STEAM:1", media.url("/media/c")));

        assertThat(answer).isEqualTo(new SimulatedAnswer(200, "text/plain; charset=UTF-8", "Photo sent!"));
        for (String name : ALBUM.keySet()) {
            media.verify(1, getRequestedFor(urlEqualTo("/media/" + name)));
        }
        assertThat(received).extracting(Received::photo)
                .containsExactly(ALBUM.get("a"), ALBUM.get("b"), ALBUM.get("c"));
        assertThat(received).extracting(Received::albumIndex).containsExactly(0, 1, 2);
        assertThat(received).allSatisfy(photo -> {
            assertThat(photo.album()).isNotNull().isEqualTo(received.get(0).album());
            assertThat(photo.recipient()).isEqualTo("STEAM:1");
            assertThat(photo.answer()).isEqualTo(answer);
        });
        assertThat(sonoran("community", "api-key", "SEND_PHOTO", media.url("/media/photo")).status()).isEqualTo(200);
        assertThat(received.get(3).album()).as("a call with one entry is no album").isNull();
    }

    @Test
    void sonoranRefusesAWholeCallForOneBadEntry() {
        String photo = media.url("/media/photo");

        assertThat(sonoranData(entry("STEAM:1", photo), entry("STEAM:1", media.url("/media/missing")),
                entry("STEAM:1", photo)).body()).isEqualTo("PHOTO COULD NOT BE RETRIEVED");
        assertThat(received).hasSize(3).allSatisfy(taken -> assertThat(taken.answer().accepted()).isFalse());
        int before = media.findAll(getRequestedFor(urlEqualTo("/media/photo"))).size();
        assertThat(sonoranData(entry("STEAM:1", photo), "{\"apiId\":\"STEAM:1\"}").body())
                .isEqualTo("INVALID REQUEST DATA");
        assertThat(media.findAll(getRequestedFor(urlEqualTo("/media/photo")))).as("nothing fetched").hasSize(before);
    }

    @Test
    void sonoranRefusesAsSonoranDoes() {
        String url = media.url("/media/photo");
        assertThat(sonoran("community", "api-key", "SEND_MESSAGE", url).body()).isEqualTo("INVALID REQUEST TYPE");
        assertThat(sonoran("other", "api-key", "SEND_PHOTO", url).body()).isEqualTo("INVALID COMMUNITY ID");
        assertThat(sonoran("community", "guess", "SEND_PHOTO", url).body()).isEqualTo("INVALID API KEY");
        assertThat(sonoran("community", "api-key", "SEND_PHOTO", media.url("/media/missing")).status()).isEqualTo(400);
        assertThat(sonoran("community", "api-key", "SEND_PHOTO", media.url("/media/page")).body()).isEqualTo("INVALID PHOTO");
    }

    @Test
    void telegramGivesTheBotAPhotoSentToItWithItsSizesSmallestFirstAndWhoSentItWhere() throws Exception {
        long updateId = simulator.sendToBot(4242, "@alice_w", "Look at this", TestImages.jpeg(800, 600), false, null);

        JsonNode updates = updates("");
        assertThat(updates).hasSize(1);
        assertThat(updates.path(0).path("update_id").asLong()).isEqualTo(updateId);
        JsonNode message = updates.path(0).path("message");
        assertThat(message.path("message_id").asLong()).isPositive();
        assertThat(message.path("date").asLong()).isCloseTo(System.currentTimeMillis() / 1000, within(60L));
        assertThat(message.path("caption").asText()).isEqualTo("Look at this");
        assertThat(message.path("from").path("id").asLong()).isEqualTo(4242);
        assertThat(message.path("from").path("is_bot").asBoolean(true)).isFalse();
        assertThat(message.path("from").path("username").asText()).isEqualTo("alice_w");
        assertThat(message.path("from").path("first_name").asText()).isNotEmpty();
        assertThat(message.path("chat").path("id").asLong()).isEqualTo(4242);
        assertThat(message.path("chat").path("type").asText()).isEqualTo("private");
        assertThat(message.path("chat").path("username").asText()).isEqualTo("alice_w");
        assertThat(message.has("document")).isFalse();
        List<JsonNode> sizes = new ArrayList<>();
        message.path("photo").forEach(sizes::add);
        assertThat(sizes).extracting(size -> size.path("width").asInt()).containsExactly(90, 320, 800);
        assertThat(sizes).extracting(size -> size.path("height").asInt()).containsExactly(68, 240, 600);
        assertThat(sizes).extracting(size -> size.path("file_size").asLong()).isSorted().allMatch(size -> size > 0);
        assertThat(sizes).extracting(size -> size.path("file_id").asText()).doesNotHaveDuplicates();
        assertThat(sizes).extracting(size -> size.path("file_unique_id").asText()).doesNotHaveDuplicates();
        assertThat(received).as("the bot's polls are no photos taken in").isEmpty();
    }

    @Test
    void telegramGivesAFileSentAsADocumentWithItsNameAndMediaType() throws Exception {
        byte[] pdf = "%PDF-1.4 a report".getBytes(StandardCharsets.US_ASCII);
        simulator.sendToBot(4242, null, null, TestImages.png(40, 30), true, "scan.png");
        simulator.sendToBot(4242, null, null, pdf, true, "report.pdf");

        JsonNode updates = updates("");
        JsonNode scan = updates.path(0).path("message");
        assertThat(scan.has("photo")).isFalse();
        assertThat(scan.has("caption")).isFalse();
        assertThat(scan.path("from").has("username")).as("a user without one").isFalse();
        assertThat(scan.path("document").path("file_name").asText()).isEqualTo("scan.png");
        assertThat(scan.path("document").path("mime_type").asText()).isEqualTo("image/png");
        assertThat(scan.path("document").path("file_size").asLong()).isEqualTo(TestImages.png(40, 30).length);
        JsonNode report = updates.path(1).path("message").path("document");
        assertThat(report.path("mime_type").asText()).isEqualTo("application/pdf");
        assertThat(download(getFile(report.path("file_id").asText()).path("file_path").asText()).content()).isEqualTo(pdf);
    }

    @Test
    void telegramForgetsTheUpdatesBeforeTheOffsetGivenInTheQueryOrTheBody() throws Exception {
        long first = simulator.sendToBot(1, null, "one", PHOTO, false, null);
        long second = simulator.sendToBot(1, null, "two", PHOTO, false, null);

        assertThat(second).isGreaterThan(first);
        assertThat(updates("?limit=1")).extracting(update -> update.path("update_id").asLong()).containsExactly(first);
        assertThat(updates("?offset=" + (first + 1))).extracting(update -> update.path("update_id").asLong())
                .containsExactly(second);
        assertThat(updates("")).as("acknowledged: forgotten").extracting(update -> update.path("update_id").asLong())
                .containsExactly(second);
        assertThat(resultOf(call("POST", TELEGRAM_BOT + "getUpdates", "application/json",
                "{\"offset\":" + (second + 1) + ",\"timeout\":0}", Map.of()))).isEmpty();
        long third = simulator.sendToBot(1, null, "three", PHOTO, false, null);
        assertThat(resultOf(call("POST", TELEGRAM_BOT + "getUpdates", "application/x-www-form-urlencoded",
                "offset=" + third, Map.of()))).extracting(update -> update.path("update_id").asLong()).containsExactly(third);
    }

    @Test
    void telegramKeepsTheLast100UpdatesPending() throws Exception {
        byte[] file = "a note".getBytes(StandardCharsets.US_ASCII);
        long first = simulator.sendToBot(1, null, null, file, true, "note.txt");
        for (int i = 0; i < 100; i++) {
            simulator.sendToBot(1, null, null, file, true, "note.txt");
        }

        JsonNode updates = updates("");
        assertThat(updates).hasSize(100);
        assertThat(updates.path(0).path("update_id").asLong()).isEqualTo(first + 1);
    }

    @Test
    void telegramAnswersALongPollAsSoonAsAPhotoIsSent() throws Exception {
        long started = System.nanoTime();
        CompletableFuture<SimulatedAnswer> poll = CompletableFuture.supplyAsync(
                () -> call("GET", TELEGRAM_BOT + "getUpdates?timeout=30", "", "", Map.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.botPolls() == 1);
        assertThat(poll).isNotDone();

        long updateId = simulator.sendToBot(7, null, null, PHOTO, false, null);

        assertThat(resultOf(poll.get(BotUpdates.MAX_TIMEOUT_SECONDS - 1, TimeUnit.SECONDS)))
                .extracting(update -> update.path("update_id").asLong()).containsExactly(updateId);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(BotUpdates.MAX_TIMEOUT_SECONDS - 1));
    }

    @Test
    void telegramEndsAnEmptyLongPollAtItsTimeoutAndCutsOffAPollWhenAnotherStarts() throws Exception {
        long started = System.nanoTime();
        assertThat(updates("?timeout=1")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));

        long before = simulator.botPolls();
        CompletableFuture<SimulatedAnswer> older = CompletableFuture.supplyAsync(
                () -> call("GET", TELEGRAM_BOT + "getUpdates?timeout=30", "", "", Map.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.botPolls() == before + 1);
        assertThat(updates("")).isEmpty();
        assertThat(older.get(1, TimeUnit.SECONDS).body()).isEqualTo("{\"ok\":false,\"error_code\":409,\"description\":"
                + "\"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running\"}");
    }

    @Test
    void telegramServesEachSizeByGetFileAndTheLargestIsThePhotoByteForByte() throws Exception {
        byte[] photo = TestImages.png(400, 300);
        simulator.sendToBot(4242, "alice_w", null, photo, false, null);
        JsonNode sizes = updates("").path(0).path("message").path("photo");

        JsonNode largest = getFile(sizes.path(2).path("file_id").asText());
        assertThat(largest.path("file_id").asText()).isEqualTo(sizes.path(2).path("file_id").asText());
        assertThat(largest.path("file_unique_id").asText()).isEqualTo(sizes.path(2).path("file_unique_id").asText());
        assertThat(largest.path("file_size").asLong()).isEqualTo(photo.length);
        assertThat(largest.path("file_path").asText()).matches("photos/file_\\d+\\.png");
        SimulatedAnswer download = download(largest.path("file_path").asText());
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.contentType()).isEqualTo("application/octet-stream");
        assertThat(download.content()).isEqualTo(photo);

        byte[] thumbnail = download(getFile(sizes.path(0).path("file_id").asText()).path("file_path").asText()).content();
        assertThat(PlatformSimulator.imageType(thumbnail)).isEqualTo("image/jpeg");
        assertThat(ImageIO.read(new ByteArrayInputStream(thumbnail)).getWidth()).isEqualTo(90);
        assertThat(received).as("nor are the bot's downloads").isEmpty();
    }

    @Test
    void telegramRefusesAnUnknownFileIdAFileOver20MbAndAWrongTokenAsTelegramDoes() throws Exception {
        simulator.sendToBot(1, null, null, Arrays.copyOf(PHOTO, TelegramFiles.MAX_DOWNLOAD + 1), true, "big.jpg");
        String fileId = updates("").path(0).path("message").path("document").path("file_id").asText();

        assertThat(call("GET", TELEGRAM_BOT + "getFile?file_id=AgACAgIAAxkBAAI", "", "", Map.of()).body())
                .isEqualTo("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: invalid file_id\"}");
        assertThat(call("GET", TELEGRAM_BOT + "getFile?file_id=" + fileId, "", "", Map.of()).body())
                .isEqualTo("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: file is too big\"}");
        String unauthorized = "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}";
        for (String target : new String[] { "/bot999:other/getUpdates", "/bot999:other/getFile?file_id=" + fileId,
                "/file/bot999:other/photos/file_1.jpg" }) {
            SimulatedAnswer answer = call("GET", target, "", "", Map.of());
            assertThat(answer.status()).as(target).isEqualTo(401);
            assertThat(answer.body()).as(target).isEqualTo(unauthorized);
        }
        assertThat(download("photos/file_999.jpg").body())
                .isEqualTo("{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
    }

    @Test
    void telegramIsSentOnlyWhatAClientWouldSend() {
        assertThatThrownBy(() -> simulator.sendToBot(4242, null, null, "MZ not an image".getBytes(StandardCharsets.US_ASCII),
                false, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("as a document");
        assertThatThrownBy(() -> simulator.sendToBot(4242, null, "x".repeat(1025), PHOTO, false, null))
                .hasMessageContaining("caption");
        assertThatThrownBy(() -> simulator.sendToBot(-100123, null, null, PHOTO, false, null))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> simulator.sendToBot(4242, "@no", null, PHOTO, false, null))
                .hasMessageContaining("username");
        assertThatThrownBy(() -> simulator.sendToBot(4242, null, null, TestImages.pngHeader(6000, 5000), false, null))
                .hasMessageContaining("10000");
    }

    /** The updates getUpdates answers now, {@code query} its query string from its {@code ?}. */
    private JsonNode updates(String query) throws Exception {
        return resultOf(call("GET", TELEGRAM_BOT + "getUpdates" + query, "", "", Map.of()));
    }

    /** The {@code result} of a Bot API answer that must be {@code ok}. */
    private static JsonNode resultOf(SimulatedAnswer answer) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode reply = new ObjectMapper().readTree(answer.body());
        assertThat(reply.path("ok").asBoolean()).isTrue();
        return reply.path("result");
    }

    /** The File getFile answers for {@code fileId}. */
    private JsonNode getFile(String fileId) throws Exception {
        return resultOf(call("POST", TELEGRAM_BOT + "getFile", "application/json", "{\"file_id\":\"" + fileId + "\"}",
                Map.of()));
    }

    private SimulatedAnswer download(String filePath) {
        return call("GET", "/file/bot123:bot-token/" + filePath, "", "", Map.of());
    }

    private SimulatedAnswer telegramUpload(Map<String, String> fields, byte[] photo) {
        return telegramUpload("sendPhoto", "photo", fields, photo);
    }

    private SimulatedAnswer telegramUpload(String method, String fileField, Map<String, String> fields, byte[] photo) {
        return telegramUpload(method, fields, Map.of(fileField, photo));
    }

    /** An album to chat 987654321: {@code media} as JSON, the files as parts named as the map says. */
    private SimulatedAnswer telegramAlbum(String media, Map<String, byte[]> files) {
        return telegramUpload("sendMediaGroup", Map.of("chat_id", "987654321", "media", media), files);
    }

    private SimulatedAnswer telegramUpload(String method, Map<String, String> fields, Map<String, byte[]> files) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        new TreeMap<>(fields).forEach((name, value) -> body.writeBytes(("--b0undary\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        new TreeMap<>(files).forEach((name, photo) -> {
            body.writeBytes(("--b0undary\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"p.jpg\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(photo);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes("--b0undary--\r\n".getBytes(StandardCharsets.UTF_8));
        return call("POST", TELEGRAM.replace("sendPhoto", method), "multipart/form-data; boundary=b0undary",
                body.toByteArray(), Map.of());
    }

    /** {@code count} photo items, the first captioned, each attaching the part {@code p<i>}. */
    private static String photoItems(int count) {
        return IntStream.range(0, count).mapToObj(i -> "{\"type\":\"photo\",\"media\":\"attach://p" + i + "\""
                + (i == 0 ? ",\"caption\":\"Scene\"" : "") + "}").collect(Collectors.joining(",", "[", "]"));
    }

    /** The parts {@code p0} to {@code p<count-1>}, each {@code photo}. */
    private static Map<String, byte[]> parts(int count, byte[] photo) {
        return IntStream.range(0, count).boxed().collect(Collectors.toMap(i -> "p" + i, i -> photo));
    }

    private SimulatedAnswer zapi(String json) {
        return call("POST", ZAPI, "application/json", json, Map.of("Client-Token", "client-token"));
    }

    private SimulatedAnswer sonoran(String id, String key, String type, String url) {
        return call("POST", SONORAN, "application/json", "{\"id\":\"" + id + "\",\"key\":\"" + key + "\",\"type\":\""
                + type + "\",\"data\":[{\"apiId\":\"STEAM:1234\",\"url\":\"" + url + "\"}]}", Map.of());
    }

    /** A Sonoran call with the right credentials and these {@code data} entries. */
    private SimulatedAnswer sonoranData(String... entries) {
        return call("POST", SONORAN, "application/json", "{\"id\":\"community\",\"key\":\"api-key\","
                + "\"type\":\"SEND_PHOTO\",\"data\":[" + String.join(",", entries) + "]}", Map.of());
    }

    private static String entry(String apiId, String url) {
        return "{\"apiId\":\"" + apiId + "\",\"url\":\"" + url + "\"}";
    }

    private SimulatedAnswer call(String method, String path, String contentType, String body, Map<String, String> headers) {
        return call(method, path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** A call to {@code target}: a path, and after a {@code ?} its query string. */
    private SimulatedAnswer call(String method, String target, String contentType, byte[] body, Map<String, String> headers) {
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        all.put("Content-Type", contentType);
        String[] pathAndQuery = target.split("\\?", 2);
        return simulator.answer(new SimulatedCall(method, pathAndQuery[0], pathAndQuery.length > 1 ? pathAndQuery[1] : "",
                all::get, body, System.nanoTime()));
    }
}
