package dev.photorelay.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Input meant to hurt (or just broken) ends as a clear code in .failed/, or is left alone with a log line where there
 * is no photo to file; nothing reaches a platform, and the inbox keeps working.
 */
@QuarkusTest
class HostileInputTest {

    @InjectTelegram
    WireMockServer telegram;

    @InjectInbox
    Inbox inbox;

    @Test
    void aTwoHundredMegabyteFileIsRefusedFromItsSizeAlone() throws IOException {
        Path huge = inbox.root().resolve("telegram/60001/.huge.jpg.part");
        Files.createDirectories(huge.getParent());
        // sparse: a JPEG header followed by 200 MB the relay must never read
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.write(TestImages.jpeg(20, 20));
            file.setLength(200L * 1024 * 1024);
        }
        Files.move(huge, huge.resolveSibling("huge.jpg"));

        JsonNode record = inbox.awaitFailed("telegram/60001/huge.jpg");

        assertThat(record.path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(record.path("message").asText()).contains("209715200");
        assertThat(Received.telegram(telegram, "60001")).isEmpty();
    }

    @Test
    void anExecutableNamedJpgIsUnsupportedMedia() {
        byte[] elf = Arrays.copyOf(new byte[] { 0x7f, 'E', 'L', 'F', 2, 1, 1 }, 4096);
        inbox.drop("telegram/60002/holiday.jpg", elf);

        assertThat(inbox.awaitFailed("telegram/60002/holiday.jpg").path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA");
        assertThat(Received.telegram(telegram, "60002")).isEmpty();
    }

    @Test
    void recipientFoldersWithControlCharactersDotsOrExcessiveLengthAreRefusedInOneReadableLine() {
        inbox.drop("telegram/600\u0007\u001b[31m03/a.jpg", TestImages.jpeg(10, 10));
        inbox.drop("telegram/60004..60005/b.jpg", TestImages.jpeg(10, 10));
        inbox.drop("telegram/" + "6".repeat(255) + "/c.jpg", TestImages.jpeg(10, 10));

        JsonNode control = inbox.awaitFailed("telegram/600\u0007\u001b[31m03/a.jpg");
        JsonNode dots = inbox.awaitFailed("telegram/60004..60005/b.jpg");
        JsonNode longName = inbox.awaitFailed("telegram/" + "6".repeat(255) + "/c.jpg");

        assertThat(control.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(control.path("message").asText()).doesNotContain("\u0007", "\u001b")
                .contains("600\\u0007\\u001b[31m03");
        assertThat(dots.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(longName.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(longName.path("message").asText()).hasSizeLessThan(200);
        assertThat(telegram.getAllServeEvents()).noneMatch(e -> e.getRequest().getBodyAsString().contains("60004..60005"));
    }

    @Test
    void aSymbolicLinkToAFileOutsideTheInboxIsFiledAsInvalidAndNotFollowed() throws IOException {
        Path outside = Files.createTempFile("outside-the-inbox", ".jpg");
        Files.write(outside, TestImages.jpeg(30, 30));
        Path link = inbox.root().resolve("telegram/60006/secret.jpg");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, outside);

        JsonNode record = inbox.awaitFailed("telegram/60006/secret.jpg");

        assertThat(record.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(record.path("message").asText()).contains("symbolic link");
        assertThat(Files.isSymbolicLink(inbox.failed("telegram/60006/secret.jpg"))).isTrue();
        assertThat(outside).exists();
        assertThat(Received.telegram(telegram, "60006")).isEmpty();
        Files.delete(outside);
    }

    @Test
    void aLinkedFolderIsNotWalkedInto() throws IOException {
        Path outside = Files.createTempDirectory("outside-the-inbox");
        Files.write(outside.resolve("private.jpg"), TestImages.jpeg(30, 30));
        Files.createDirectories(inbox.root().resolve("telegram"));
        Files.createSymbolicLink(inbox.root().resolve("telegram/60007"), outside);

        // a photo dropped after it is delivered: the inbox has been polled past the linked folder meanwhile
        inbox.drop("telegram/60008/after.jpg", TestImages.jpeg(10, 10));
        inbox.awaitSent("telegram/60008/after.jpg");

        assertThat(outside.resolve("private.jpg")).exists();
        assertThat(inbox.failed("telegram/60007/private.jpg")).doesNotExist();
        assertThat(Received.telegram(telegram, "60007")).isEmpty();
        Files.delete(inbox.root().resolve("telegram/60007"));
        deleteTree(outside);
    }

    @Test
    void aPhotoThatDisappearsWhileWaitingForItsTurnGetsARecordAndNoCall() throws IOException {
        // the second photo to a chat waits a second behind the first (1 photo/s per chat): it is deleted meanwhile
        inbox.drop("telegram/60009/first.jpg", TestImages.jpeg(10, 10));
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.sent("telegram/60009/first.jpg").toFile().exists());
        inbox.drop("telegram/60009/second.jpg", TestImages.jpeg(12, 12));
        inbox.drop("telegram/60009/third.jpg", TestImages.jpeg(14, 14));
        await().atMost(Duration.ofSeconds(20)).until(() -> Received.telegram(telegram, "60009").size() == 2);
        Files.delete(inbox.root().resolve("telegram/60009/third.jpg"));

        JsonNode record = inbox.awaitFailedOfAVanishedPhoto("telegram/60009/third.jpg");

        assertThat(record.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(inbox.failed("telegram/60009/third.jpg")).doesNotExist();
        assertThat(Received.telegram(telegram, "60009")).hasSize(2);
    }

    @Test
    void anInboxDeletedWhileRunningIsCreatedAgainAndKeepsDelivering() throws IOException {
        inbox.drop("telegram/60010/before.jpg", TestImages.jpeg(10, 10));
        inbox.awaitSent("telegram/60010/before.jpg");

        deleteTree(inbox.root());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.isDirectory(inbox.root()));
        inbox.drop("telegram/60011/after.jpg", TestImages.jpeg(10, 10));

        assertThat(inbox.awaitSent("telegram/60011/after.jpg").path("status").asText()).isEqualTo("sent");
        assertThat(inbox.root().resolve(".journal")).exists();
    }

    @Test
    void anInboxReplacedByAnotherFolderWhileRunningGetsTheJournalAndKeepsDelivering() throws IOException {
        inbox.drop("telegram/60012/before.jpg", TestImages.jpeg(10, 10));
        inbox.awaitSent("telegram/60012/before.jpg");

        Path old = inbox.root().resolveSibling("inbox-replaced-" + System.nanoTime());
        Files.move(inbox.root(), old);
        Files.createDirectory(inbox.root());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.root().resolve(".journal")));
        inbox.drop("telegram/60013/after.jpg", TestImages.jpeg(10, 10));

        assertThat(inbox.awaitSent("telegram/60013/after.jpg").path("status").asText()).isEqualTo("sent");
        deleteTree(old);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
