package dev.photorelay.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The inbox is looked at when the file system says something changed in it, not only every poll interval: with an
 * interval of ten minutes, photos still go within seconds (the awaits allow one minute), and a file still being written
 * is still not taken early.
 */
@QuarkusTest
@TestProfile(InboxWakeupsTest.RarePolls.class)
class InboxWakeupsTest {

    public static class RarePolls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.inbox.poll-interval", "10m");
        }
    }

    @InjectTelegram
    WireMockServer telegram;

    @InjectInbox
    Inbox inbox;

    @Test
    void aPhotoRenamedIntoTheInboxIsTakenOnTheFileSystemsEventNotAtTheNextPoll() {
        byte[] photo = TestImages.jpeg(41, 41);
        inbox.drop("telegram/72001/woken.jpg", photo);

        inbox.awaitSent("telegram/72001/woken.jpg");

        assertThat(Received.only(Received.telegram(telegram, "72001")).getPart("photo").getBody().asBytes()).isEqualTo(photo);
    }

    @Test
    void aPhotoInANewRecipientFolderAndAnAlbumRenamedInAreSeenToo() {
        inbox.drop("telegram/72002/first-in-a-new-folder.jpg", TestImages.jpeg(42, 42));
        inbox.dropAlbum("telegram/72003/set", Map.of("1.jpg", TestImages.jpeg(43, 43), "2.jpg", TestImages.jpeg(44, 43)));

        inbox.awaitSent("telegram/72002/first-in-a-new-folder.jpg");
        inbox.awaitSent("telegram/72003/set");
    }

    @Test
    void aPhotoWrittenInPlaceInPiecesIsTakenOnlyOnceWhole() throws Exception {
        byte[] photo = TestImages.jpeg(45, 45);
        Path file = inbox.root().resolve("telegram/72004/slow.jpg");
        Files.createDirectories(file.getParent());
        Files.write(file, java.util.Arrays.copyOf(photo, photo.length / 2));
        // the writer pauses: the half it wrote is not taken meanwhile
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> Received.telegram(telegram, "72004").isEmpty());
        Files.write(file, photo);

        inbox.awaitSent("telegram/72004/slow.jpg");

        assertThat(Received.only(Received.telegram(telegram, "72004")).getPart("photo").getBody().asBytes()).isEqualTo(photo);
    }

    @Test
    void photosRenamedInOneByOneInABurstGoOldestFirst() throws Exception {
        Path staging = Files.createDirectories(inbox.root().resolve(".burst"));
        Path chat = Files.createDirectories(inbox.root().resolve("telegram/72005"));
        List<String> names = stageWithOldTimes(staging, 40);
        renameIn(staging, chat, names, 5);

        names.forEach(name -> inbox.awaitSent("telegram/72005/" + name));

        assertThat(Received.telegram(telegram, "72005").stream()
                .sorted(java.util.Comparator.comparing(r -> r.getLoggedDate()))
                .map(r -> r.getPart("photo").getFileName()).toList())
                .containsExactly("08.jpg", "07.jpg", "06.jpg", "05.jpg", "04.jpg", "03.jpg", "02.jpg", "01.jpg");
    }

    @Test
    void aBurstCopiedWithItsTimesGoesOldestFirstEvenWhenAFreshPhotoFallsDueInItsMiddle() throws Exception {
        Path staging = Files.createDirectories(inbox.root().resolve(".burst2"));
        Path chat = Files.createDirectories(inbox.root().resolve("telegram/72105"));
        List<String> names = stageWithOldTimes(staging, 50);
        // a photo written and renamed in at once: its poll falls due (stable-for, 100 ms) while the burst goes on
        inbox.drop("telegram/72106/fresh.jpg", TestImages.jpeg(61, 41));
        // the writers' pace: the burst starts half-way to that photo's stable-for and lasts about 100 ms
        Thread.sleep(50);
        renameIn(staging, chat, names, 12);

        names.forEach(name -> inbox.awaitSent("telegram/72105/" + name));
        inbox.awaitSent("telegram/72106/fresh.jpg");

        assertThat(Received.telegram(telegram, "72105").stream()
                .sorted(java.util.Comparator.comparing(r -> r.getLoggedDate()))
                .map(r -> r.getPart("photo").getFileName()).toList())
                .containsExactly("08.jpg", "07.jpg", "06.jpg", "05.jpg", "04.jpg", "03.jpg", "02.jpg", "01.jpg");
    }

    /**
     * Eight photos 01.jpg to 08.jpg written in {@code staging} with times an hour old, 08.jpg the oldest and 01.jpg the
     * newest (the order of the times, not of the names), as {@code cp -p} leaves them; answers their names.
     */
    private static List<String> stageWithOldTimes(Path staging, int width) throws IOException {
        java.time.Instant base = java.time.Instant.now().minusSeconds(3600);
        List<String> names = new java.util.ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String name = "%02d.jpg".formatted(i);
            Path photo = staging.resolve(name);
            Files.write(photo, TestImages.jpeg(width + i, 40));
            Files.setLastModifiedTime(photo, java.nio.file.attribute.FileTime.from(base.plusSeconds(60L * (10 - i))));
            names.add(name);
        }
        return names;
    }

    /** Renames the photos into {@code chat} one by one, a copying tool's {@code pauseMillis} apart. */
    private static void renameIn(Path staging, Path chat, List<String> names, long pauseMillis) throws Exception {
        for (String name : names) {
            Files.move(staging.resolve(name), chat.resolve(name));
            Thread.sleep(pauseMillis); // the writer's pace, not a wait for an outcome
        }
    }
}
