package dev.photorelay.inbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The inbox takes only finished photos, made the way real tools make them: uploads and downloads under temporary
 * names, scanners that create an empty file first, copies that keep an old time while they grow or set the full size
 * first, leftovers of operating systems, very long and odd names, special files and linked sidecars. Each ends sent
 * once and whole, filed with a record, or left alone by a documented rule; none wedges the inbox.
 */
@QuarkusTest
class ArrivalsTest {

    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectTelegram
    WireMockServer telegram;

    @InjectInbox
    Inbox inbox;

    @Test
    void aPhotoUploadedUnderATemporaryNameIsSentWholeAndOnceAfterItsRename() throws Exception {
        // WinSCP writes x.jpg.filepart, Chrome x.jpg.crdownload; each stalls with 40% written, then renames
        byte[] photo = TestImages.noisyJpeg(300, 250, false);
        Path winscp = writePart("telegram/120001/x.jpg.filepart", photo, 0.4);
        Path chrome = writePart("telegram/120002/y.jpg.crdownload", photo, 0.4);
        writerPauses(2500);

        assertThat(Received.telegram(telegram, "120001")).isEmpty();
        assertThat(Received.telegram(telegram, "120002")).isEmpty();
        for (Path part : List.of(winscp, chrome)) {
            Files.write(part, Arrays.copyOfRange(photo, (int) (photo.length * 0.4), photo.length),
                    StandardOpenOption.APPEND);
            Files.move(part, part.resolveSibling(part.getFileName().toString().replaceFirst("\\.[a-z]+$", "")));
        }

        assertSentWholeAndOnce("telegram/120001/x.jpg", "120001", photo);
        assertSentWholeAndOnce("telegram/120002/y.jpg", "120002", photo);
    }

    @Test
    void aScannedPhotoThatStartsEmptyIsSentOnceItIsWhole() throws Exception {
        byte[] photo = TestImages.noisyJpeg(200, 150, false);
        Path scan = Files.createDirectories(inbox.root().resolve("telegram/120003")).resolve("scan.jpg");
        Files.createFile(scan);
        writerPauses(2000);
        Files.write(scan, photo);

        assertSentWholeAndOnce("telegram/120003/scan.jpg", "120003", photo);
    }

    @Test
    void aPhotoGrowingInPlaceUnderAnOldModificationTimeIsNotTakenEarly() throws Exception {
        // a copy tool that keeps the source's time on a file it is still writing
        byte[] photo = TestImages.noisyJpeg(300, 250, true);
        Path copy = writePart("telegram/120004/copied.jpg", photo, 0.4);
        Files.setLastModifiedTime(copy, LONG_AGO);
        writerPauses(1500);

        assertThat(Received.telegram(telegram, "120004")).isEmpty();
        Files.write(copy, Arrays.copyOfRange(photo, (int) (photo.length * 0.4), photo.length),
                StandardOpenOption.APPEND);
        Files.setLastModifiedTime(copy, LONG_AGO);

        assertSentWholeAndOnce("telegram/120004/copied.jpg", "120004", photo);
    }

    @Test
    void aPhotoSetToItsFullSizeFirstAndFilledLaterIsNotTakenEarly() throws Exception {
        // some copy tools reserve the whole size (zeros), then fill it; here a PNG, under an old time
        byte[] photo = TestImages.png(400, 300);
        Path copy = Files.createDirectories(inbox.root().resolve("telegram/120005")).resolve("reserved.png");
        try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "rw")) {
            file.setLength(photo.length);
            file.write(photo, 0, photo.length / 2);
        }
        Files.setLastModifiedTime(copy, LONG_AGO);
        writerPauses(1500);

        assertThat(Received.telegram(telegram, "120005")).isEmpty();
        try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "rw")) {
            file.seek(photo.length / 2);
            file.write(photo, photo.length / 2, photo.length - photo.length / 2);
        }
        Files.setLastModifiedTime(copy, LONG_AGO);

        assertSentWholeAndOnce("telegram/120005/reserved.png", "120005", photo);
    }

    @Test
    void aPhotoWrittenAgainAfterItWasTakenIsNotSentAsItNowIs() throws Exception {
        // one photo a second per chat: the second and third wait their turn while a tool truncates and empties them
        byte[] photo = TestImages.noisyJpeg(200, 150, false);
        inbox.drop("telegram/120043/p1-first.jpg", photo);
        Path second = inbox.drop("telegram/120043/p2-second.jpg", photo);
        Path third = inbox.drop("telegram/120043/p3-third.jpg", photo);
        Path fourth = inbox.drop("telegram/120043/p4-fourth.jpg", photo);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> Received.telegram(telegram, "120043").size() == 1);
        try (RandomAccessFile file = new RandomAccessFile(second.toFile(), "rw")) {
            file.setLength(photo.length / 3);
        }
        Files.write(third, new byte[0]);
        // the same size, zeros in the middle, and its old modification time put back
        FileTime before = Files.getLastModifiedTime(fourth);
        try (RandomAccessFile file = new RandomAccessFile(fourth.toFile(), "rw")) {
            file.seek(photo.length / 4);
            file.write(new byte[photo.length / 4]);
        }
        Files.setLastModifiedTime(fourth, before);

        JsonNode truncated = inbox.awaitFailed("telegram/120043/p2-second.jpg");
        JsonNode emptied = inbox.awaitFailed("telegram/120043/p3-third.jpg");

        assertThat(truncated.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(truncated.path("message").asText()).contains("written again");
        assertThat(emptied.path("code").asText()).isEqualTo("INVALID_REQUEST");
        JsonNode sameSize = inbox.awaitFailed("telegram/120043/p4-fourth.jpg");
        assertThat(sameSize.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(sameSize.path("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(
                inbox.failed("telegram/120043/p4-fourth.jpg"))));
        assertThat(truncated.path("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(
                inbox.failed("telegram/120043/p2-second.jpg"))));
        assertThat(Received.telegram(telegram, "120043")).hasSize(1)
                .allSatisfy(request -> assertThat(request.getPart("photo").getBody().asBytes()).isEqualTo(photo));
    }

    @Test
    void aPhotoThatStaysUnfinishedIsFiledAsTruncated() throws Exception {
        byte[] photo = TestImages.noisyJpeg(200, 150, false);
        writePart("telegram/120006/cut.jpg", photo, 0.6);

        JsonNode record = inbox.awaitFailed("telegram/120006/cut.jpg");

        assertThat(record.path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(record.path("message").asText()).contains("truncated", "relay.inbox.incomplete-after");
        assertThat(Received.telegram(telegram, "120006")).isEmpty();
    }

    @Test
    void leftoversAndTemporaryNamesAreLeftAloneWithoutARecordOrAMetric() throws Exception {
        String folder = "telegram/120007/";
        List<String> ignored = List.of("Thumbs.db", "desktop.ini", ".DS_Store", "IMG_0001.JPG.json~", "._IMG_0001.JPG",
                "~$report.docx", "a.jpg.part", "b.jpg.download", "c.jpg.partial", "d.jpg.tmp", "e.jpg.temp", ".f.jpg.swp",
                "g.jpg~", ".h.jpg.Xy12Qz", "Icon\r", "@eaDir/real.jpg/SYNOPHOTO_THUMB_M.jpg");
        double rejectedBefore = rejectedInAll();
        for (String name : ignored) {
            Path file = inbox.root().resolve(folder).resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, TestImages.jpeg(10, 10));
            Files.setLastModifiedTime(file, LONG_AGO);
        }
        // a photo dropped after them is delivered: the inbox has been polled past them meanwhile
        inbox.drop(folder + "real.jpg", TestImages.jpeg(12, 12));
        inbox.awaitSent(folder + "real.jpg");
        inbox.drop(folder + "later.jpg", TestImages.jpeg(14, 14));
        inbox.awaitSent(folder + "later.jpg");

        for (String name : ignored) {
            assertThat(inbox.root().resolve(folder + name)).as(name).exists();
            assertThat(inbox.failed(folder + name)).as(name).doesNotExist();
            assertThat(inbox.failed(folder + name + ".error.json")).as(name).doesNotExist();
        }
        assertThat(Received.telegram(telegram, "120007")).hasSize(2);
        assertThat(rejectedInAll()).isEqualTo(rejectedBefore);
    }

    @Test
    void aPhotoWhoseNameIsAsLongAsNamesMayBeIsFiledWithAShortenedRecordName() throws Exception {
        String longName = "p".repeat(247) + ".jpg"; // 251 bytes: "<name>.receipt.json" would be 264
        String utf8Name = "é".repeat(125) + ".jpg"; // 254 bytes in UTF-8
        inbox.drop("telegram/120008/" + longName, TestImages.jpeg(10, 10));
        inbox.drop("telegram/120009/" + utf8Name, TestImages.jpeg(11, 11));

        for (String relative : List.of("telegram/120008/" + longName, "telegram/120009/" + utf8Name)) {
            Path filed = awaitFiledWithOneRecord(".sent", relative);
            JsonNode record = JSON.readTree(onlyRecordBeside(filed).toFile());
            assertThat(record.path("status").asText()).isEqualTo("sent");
            assertThat(record.path("file").asText()).isEqualTo(relative);
            assertThat(onlyRecordBeside(filed).getFileName().toString().getBytes("UTF-8").length).isLessThanOrEqualTo(255);
        }
        assertThat(inbox.root().resolve("telegram/120008/" + longName)).doesNotExist();
        // the same long name with a sidecar, twice: the second is filed as "-1", its sidecar's name fitted too
        String withSidecar = "telegram/120041/" + "s".repeat(246) + ".jpg";
        for (int i = 0; i < 2; i++) {
            inbox.dropSidecar(withSidecar, "{\"caption\": \"long " + i + "\"}");
            inbox.drop(withSidecar, TestImages.jpeg(10 + i, 10));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.notExists(inbox.root().resolve(withSidecar)));
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> Received.telegram(telegram, "120041").size() == 2);
        assertThat(inbox.root().resolve(".failed/telegram/120041")).doesNotExist();
        try (Stream<Path> left = Files.list(inbox.root().resolve("telegram/120041"))) {
            assertThat(left).isEmpty();
        }
        assertThat(Received.telegram(telegram, "120008")).hasSize(1);
        assertThat(Received.telegram(telegram, "120009")).hasSize(1);
    }

    @Test
    void photosWithOddNamesAreEachSentAndFiled() throws Exception {
        List<String> names = List.of("back\\slash.jpg", "100%.jpg", "${file:name}.jpg", "#1 ?*.jpg", " leading.jpg",
                "trailing dot.", "-dash.jpg", "ünïcödé 📷.jpg", "semi;colon=1&x.jpg");
        int chat = 120010;
        for (String name : names) {
            inbox.drop("telegram/" + chat++ + "/" + name, TestImages.jpeg(10, 10));
        }
        // bytes that are not UTF-8 (a name from a Latin-1 system): Java cannot write such a name, the shell can
        Path latin1Folder = Files.createDirectories(inbox.root().resolve("telegram/120030"));
        Path staged = Files.write(latin1Folder.resolveSibling(".staged.jpg"), TestImages.jpeg(10, 10));
        Process mv = new ProcessBuilder("sh", "-c", "mv \"$1\" \"$2/caf$(printf '\\351').jpg\"", "sh", staged.toString(),
                latin1Folder.toString()).start();
        assertThat(mv.waitFor()).isZero();
        // 120 such bytes: the decoded name (3 bytes a character) is longer than a name may be
        Path longLatin1Folder = Files.createDirectories(inbox.root().resolve("telegram/120031"));
        Path stagedLong = Files.write(longLatin1Folder.resolveSibling(".staged-long.jpg"), TestImages.jpeg(10, 10));
        Process mvLong = new ProcessBuilder("sh", "-c", "mv \"$1\" \"$2/$(printf '\\351%.0s' $(seq 120)).jpg\"", "sh",
                stagedLong.toString(), longLatin1Folder.toString()).start();
        assertThat(mvLong.waitFor()).isZero();

        chat = 120010;
        for (String name : names) {
            String relative = "telegram/" + chat + "/" + name;
            assertThat(inbox.awaitSent(relative).path("file").asText()).isEqualTo(relative);
            assertThat(Received.telegram(telegram, String.valueOf(chat++))).hasSize(1);
        }
        assertThat(inbox.awaitSent("telegram/120030/caf_.jpg").path("status").asText()).isEqualTo("sent");
        assertThat(inbox.awaitSent("telegram/120031/" + "_".repeat(120) + ".jpg").path("status").asText())
                .isEqualTo("sent");
        try (Stream<Path> left = Files.list(latin1Folder)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFifoIsFiledWithoutBeingOpenedAndPhotosForOthersKeepFlowing() throws Exception {
        Path fifo = Files.createDirectories(inbox.root().resolve("telegram/120035")).resolve("x.jpg");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        inbox.drop("telegram/120032/other.jpg", TestImages.jpeg(10, 10));

        assertThat(inbox.awaitSent("telegram/120032/other.jpg").path("status").asText()).isEqualTo("sent");
        JsonNode record = inbox.awaitFailed("telegram/120035/x.jpg");

        assertThat(record.path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(record.path("message").asText()).contains("FIFO", "not a regular file");
        assertThat(Files.readAttributes(inbox.failed("telegram/120035/x.jpg"),
                java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void aSidecarThatIsALinkOutOfTheInboxIsNeitherFollowedNorQuoted() throws Exception {
        Path text = Files.writeString(Files.createTempFile("outside", ".txt"), "TOPSECRET and more words");
        Path json = Files.writeString(Files.createTempFile("outside", ".json"), "{\"caption\": \"LEAKED-CAPTION\"}");
        Path folder = Files.createDirectories(inbox.root().resolve("telegram/120033"));
        Files.createSymbolicLink(folder.resolve("b.jpg.json"), text);
        Files.createSymbolicLink(folder.resolve("c.jpg.json"), json);
        inbox.drop("telegram/120033/b.jpg", TestImages.jpeg(10, 10));
        inbox.drop("telegram/120033/c.jpg", TestImages.jpeg(10, 10));

        for (String photo : List.of("b.jpg", "c.jpg")) {
            JsonNode record = inbox.awaitFailed("telegram/120033/" + photo);
            assertThat(record.path("code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(record.path("message").asText()).contains("symbolic link").doesNotContain("TOPSECRET", "LEAKED");
            assertThat(inbox.failed("telegram/120033/" + photo + ".json")).isSymbolicLink();
        }
        assertThat(Received.telegram(telegram, "120033")).isEmpty();
        assertThat(text).exists();
        Files.delete(text);
        Files.delete(json);
    }

    @Test
    void aSidecarThatIsNotJsonIsRefusedWithoutQuotingWhatItHolds() {
        inbox.dropSidecar("telegram/120034/d.jpg", "SECRETWORD is not json");
        inbox.drop("telegram/120034/d.jpg", TestImages.jpeg(10, 10));
        inbox.dropSidecar("telegram/120034/e.jpg", "{\"SECRETKEY\": 1}");
        inbox.drop("telegram/120034/e.jpg", TestImages.jpeg(10, 10));
        inbox.dropSidecar("telegram/120034/f.jpg", "{\"caption\": \"a\"} SECRETTAIL");
        inbox.drop("telegram/120034/f.jpg", TestImages.jpeg(10, 10));

        JsonNode notJson = inbox.awaitFailed("telegram/120034/d.jpg");
        JsonNode unknownKey = inbox.awaitFailed("telegram/120034/e.jpg");
        JsonNode trailing = inbox.awaitFailed("telegram/120034/f.jpg");

        assertThat(notJson.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(notJson.path("message").asText()).contains("not valid JSON", "line 1").doesNotContain("SECRETWORD");
        assertThat(unknownKey.path("message").asText()).contains("does not know").doesNotContain("SECRETKEY");
        assertThat(trailing.path("message").asText()).contains("not valid JSON").doesNotContain("SECRETTAIL");
        assertThat(Received.telegram(telegram, "120034")).isEmpty();
    }

    @Test
    void controlCharactersInANameAreEscapedInItsRecord() throws IOException {
        String name = "x\u001b[2Jy\nforged line\u007f\u0085.jpg";
        inbox.drop("nobody-at-all/" + name, TestImages.jpeg(10, 10));

        JsonNode record = inbox.awaitFailed("nobody-at-all/" + name);

        assertThat(record.path("code").asText()).isEqualTo("UNKNOWN_DESTINATION");
        assertThat(record.path("file").asText()).isEqualTo("nobody-at-all/" + name);
        String raw = Files.readString(inbox.failed("nobody-at-all/" + name + ".error.json"));
        assertThat(raw).doesNotContain("\u001b", "\u007f", "\u0085")
                .contains("x\\u001B[2Jy\\nforged line\\u007F\\u0085.jpg");
    }

    private Path writePart(String relative, byte[] photo, double share) throws IOException {
        Path file = Files.createDirectories(inbox.root().resolve(relative).getParent()).resolve(
                Path.of(relative).getFileName());
        return Files.write(file, Arrays.copyOf(photo, (int) (photo.length * share)));
    }

    /** A writer that stalls mid-file: the time passes on the writer's side, not while waiting for an outcome. */
    private static void writerPauses(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    private void assertSentWholeAndOnce(String relative, String chat, byte[] photo) throws Exception {
        JsonNode receipt = inbox.awaitSent(relative);
        assertThat(Received.only(Received.telegram(telegram, chat)).getPart("photo").getBody().asBytes())
                .isEqualTo(photo);
        assertThat(receipt.path("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(inbox.sent(relative))))
                .isEqualTo(sha256(photo));
    }

    private Path awaitFiledWithOneRecord(String folder, String relative) {
        Path filed = inbox.root().resolve(folder).resolve(relative);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(filed) && recordsBeside(filed).size() == 1);
        return filed;
    }

    private static Path onlyRecordBeside(Path filed) throws IOException {
        List<Path> records = recordsBeside(filed);
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static List<Path> recordsBeside(Path filed) throws IOException {
        try (Stream<Path> files = Files.list(filed.getParent())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".receipt.json")).toList();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static double rejectedInAll() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher series = Pattern.compile("^relay_photos_rejected_total\\{[^}]*} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        double sum = 0;
        while (series.find()) {
            sum += Double.parseDouble(series.group(1));
        }
        return sum;
    }
}
