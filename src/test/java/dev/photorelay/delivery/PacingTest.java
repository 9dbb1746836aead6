package dev.photorelay.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.Received;
import dev.photorelay.testing.SonoranWireMock.InjectSonoran;
import dev.photorelay.testing.TelegramWireMock.InjectTelegram;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Pacing as the test relay has it (TempInbox): Telegram 10/s overall, 1/s per chat, 20/min per group; Sonoran 1/s
 * for the whole community. The pace is read from when WireMock logged each request, so it is measured from the
 * platform's side, as the platform would count it.
 */
@QuarkusTest
class PacingTest {

    /**
     * The pacer spaces the starts of calls; WireMock logs a request a little later, once the relay has built and sent
     * it, and that delay differs from call to call: by a few ms on a quiet machine, by up to some 70 ms seen on a busy
     * one (2 cores, other builds alongside) while the relay is also taking in 40 photos. A gap after a late request
     * looks that much shorter than the one the pacer kept. Pacing switched off leaves gaps of a few ms, far below.
     */
    private static final Duration JITTER = Duration.ofMillis(100);

    private static final String ONE_CHAT = "52000";
    private static final int PHOTOS = 20;
    private static boolean warm;

    @InjectTelegram
    WireMockServer telegram;

    @InjectSonoran
    WireMockServer sonoran;

    @InjectInbox
    Inbox inbox;

    /**
     * The first calls the relay makes to a platform are slow (classes load, the HTTP client sets up), and pacing
     * spaces the starts of calls: a first call that is slow on its way reaches WireMock late, close to the next one.
     * One photo to each platform first, so that the gaps WireMock sees are the ones the pacer kept.
     */
    @BeforeEach
    void warmUp() {
        if (warm) {
            return;
        }
        inbox.drop("telegram/52999/warm-up.jpg", TestImages.jpeg(40, 30));
        inbox.drop("sonoran/STEAM:52999/warm-up.jpg", TestImages.jpeg(40, 30));
        inbox.awaitSent("telegram/52999/warm-up.jpg");
        inbox.awaitSent("sonoran/STEAM:52999/warm-up.jpg");
        warm = true;
    }

    @Test
    void oneChatGetsItsPhotosASecondApartAndInOrderWhileTwentyOtherChatsAreServedAtOnceWithinTheOverallPace()
            throws IOException {
        List<String> oneChat = IntStream.rangeClosed(1, PHOTOS)
                .mapToObj(i -> "telegram/" + ONE_CHAT + "/p-%02d.jpg".formatted(i)).toList();
        List<String> otherChats = IntStream.rangeClosed(1, PHOTOS)
                .mapToObj(i -> "telegram/" + otherChat(i) + "/photo.jpg").toList();

        dropAllAtOnce(oneChat, otherChats);
        List<String> all = new ArrayList<>(oneChat);
        all.addAll(otherChats);
        all.forEach(inbox::awaitSent);

        List<LoggedRequest> toOneChat = inOrder(Received.telegram(telegram, ONE_CHAT));
        assertThat(toOneChat).hasSize(PHOTOS);
        for (int i = 1; i < toOneChat.size(); i++) {
            assertThat(gap(toOneChat.get(i - 1), toOneChat.get(i))).as("gap before the chat's photo %d", i + 1)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1).minus(JITTER));
        }

        // each of the other chats has a lane of its own: none waits for the one busy chat
        List<LoggedRequest> toOtherChats = IntStream.rangeClosed(1, PHOTOS)
                .mapToObj(i -> Received.only(Received.telegram(telegram, otherChat(i)))).toList();
        Instant lastOfTheOthers = toOtherChats.stream().map(PacingTest::at).max(Comparator.naturalOrder()).orElseThrow();
        assertThat(lastOfTheOthers).as("all 20 other chats are served before the busy chat's 5th photo")
                .isBefore(at(toOneChat.get(4)));

        // every call to Telegram in that time counts towards the bot's overall limit, whichever test made it
        List<LoggedRequest> ours = inOrder(Stream.concat(toOneChat.stream(), toOtherChats.stream()).toList());
        Instant first = at(ours.get(0));
        Instant last = at(ours.get(ours.size() - 1));
        List<LoggedRequest> toTelegram = inOrder(telegram.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> !at(r).isBefore(first) && !at(r).isAfter(last)).toList());
        assertThat(toTelegram).hasSizeGreaterThanOrEqualTo(2 * PHOTOS);
        assertAtMostPerSecond(10, toTelegram);

        // one photo at a time to a chat, oldest first: the chat sees them in the order they were dropped
        assertThat(toOneChat).extracting(r -> r.getPart("photo").getFileName())
                .containsExactlyElementsOf(oneChat.stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).toList());
    }

    @Test
    void aGroupGetsAPhotoEveryThreeSecondsAtMost() {
        String group = "-100520000";
        List<String> photos = List.of("telegram/" + group + "/g-1.jpg", "telegram/" + group + "/g-2.jpg",
                "telegram/" + group + "/g-3.jpg");
        photos.forEach(p -> inbox.drop(p, TestImages.jpeg(40, 30)));
        photos.forEach(inbox::awaitSent);

        // 20/min per group: one every 3 s
        List<LoggedRequest> requests = inOrder(Received.telegram(telegram, group));
        assertThat(requests).hasSize(3);
        assertThat(gap(requests.get(0), requests.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(3).minus(JITTER));
        assertThat(gap(requests.get(1), requests.get(2))).isGreaterThanOrEqualTo(Duration.ofSeconds(3).minus(JITTER));
    }

    @Test
    void sonoranGetsOneCallPerSecondAcrossAllRecipientsOfTheCommunity() {
        List<String> recipients = List.of("STEAM:52001", "STEAM:52002", "STEAM:52003");
        recipients.forEach(r -> inbox.drop("sonoran/" + r + "/scene.jpg", TestImages.jpeg(40, 30)));
        recipients.forEach(r -> inbox.awaitSent("sonoran/" + r + "/scene.jpg"));

        // three recipients, so three lanes that could all go at once: only the community's pace keeps them apart
        List<LoggedRequest> requests = inOrder(recipients.stream().map(r -> Received.only(Received.sonoran(sonoran, r))).toList());
        assertThat(gap(requests.get(0), requests.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1).minus(JITTER));
        assertThat(gap(requests.get(1), requests.get(2))).isGreaterThanOrEqualTo(Duration.ofSeconds(1).minus(JITTER));
    }

    private static String otherChat(int i) {
        return String.valueOf(52000 + i);
    }

    /**
     * Drops every photo at the same moment: they are written in a hidden folder of the inbox (never taken), the
     * busy chat's in the order p-01..p-20 (the inbox takes older files first), then each chat's folder is renamed
     * into the inbox at once. A poll sees a folder whole or not at all; files dropped one by one while the inbox is
     * being listed could be seen out of order (p-05 but not yet p-04), which is not what this test is about.
     */
    private void dropAllAtOnce(List<String> oneChat, List<String> otherChats) throws IOException {
        Path staging = Files.createTempDirectory(inbox.root(), ".pacing-");
        Files.createDirectories(inbox.root().resolve("telegram"));
        List<String> chatFolders = new ArrayList<>();
        for (String photo : oneChat) {
            write(staging.resolve(photo));
        }
        chatFolders.add("telegram/" + ONE_CHAT);
        for (String photo : otherChats) {
            write(staging.resolve(photo));
            chatFolders.add(photo.substring(0, photo.lastIndexOf('/')));
        }
        for (String folder : chatFolders) {
            Files.move(staging.resolve(folder), inbox.root().resolve(folder));
        }
        Files.delete(staging.resolve("telegram"));
        Files.delete(staging);
    }

    private static void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, TestImages.jpeg(40, 30));
    }

    /**
     * No window of one second holds more than {@code limit} of the requests: any {@code limit + 1} consecutive
     * ones span at least a second (less the jitter).
     */
    private static void assertAtMostPerSecond(int limit, List<LoggedRequest> requests) {
        for (int i = limit; i < requests.size(); i++) {
            assertThat(gap(requests.get(i - limit), requests.get(i)))
                    .as("span of Telegram requests %d..%d of %d", i - limit + 1, i + 1, requests.size())
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1).minus(JITTER));
        }
    }

    private static List<LoggedRequest> inOrder(List<LoggedRequest> requests) {
        return requests.stream().sorted(Comparator.comparing(PacingTest::at)).toList();
    }

    private static Instant at(LoggedRequest request) {
        return request.getLoggedDate().toInstant();
    }

    private static Duration gap(LoggedRequest first, LoggedRequest second) {
        return Duration.between(at(first), at(second));
    }
}
