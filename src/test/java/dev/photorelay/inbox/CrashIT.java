package dev.photorelay.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.photorelay.testing.Received;
import dev.photorelay.testing.RelayProcess;
import dev.photorelay.testing.TestImages;

/**
 * Crash safety, against the packaged jar run as its own process: a relay killed with SIGKILL in the middle of a batch
 * and started again on the same inbox delivers every photo, and sends a photo twice only if the kill cut its platform
 * call short. Those are at most the calls in flight at that moment, so at most {@code relay.concurrency}.
 */
class CrashIT {

    private static final int CHATS = 20;
    private static final int PHOTOS_PER_CHAT = 10;
    private static final int PHOTOS = CHATS * PHOTOS_PER_CHAT;
    /** Set explicitly: it is the bound on duplicates this test holds the relay to. */
    private static final int CONCURRENCY = 4;
    /** Kill once the platform has this many photos: well into the batch, and far from its end. */
    private static final int KILL_AFTER_REQUESTS = 40;
    /** Telegram answers after a short while, so that calls are in flight when the kill comes. */
    private static final int ANSWER_DELAY_MS = 40;
    private static final String OK = "{\"ok\":true,\"result\":{\"message_id\":1}}";
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private Path inbox;
    private WireMockServer telegram;
    private final List<RelayProcess> relays = new ArrayList<>();

    @BeforeEach
    void startTelegram() {
        inbox = folder.resolve("inbox");
        telegram = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(32));
        telegram.start();
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO))
                .willReturn(okJson(OK).withFixedDelay(ANSWER_DELAY_MS)));
    }

    @AfterEach
    void stopEverything() {
        // never leave a relay running, whatever happened: @TempDir deletes the folder it works in afterwards
        relays.forEach(RelayProcess::close);
        if (telegram != null) {
            telegram.stop();
        }
    }

    @Test
    void everyPhotoIsDeliveredAfterAKillMidBatchWithDuplicatesOnlyFromCallsInFlight() throws IOException {
        long began = System.nanoTime();
        Map<String, byte[]> photos = dropPhotos();

        RelayProcess first = start("relay-1");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> requestCount() >= KILL_AFTER_REQUESTS);
        first.kill();

        assertThat(first.isAlive()).as("%s after SIGKILL", first).isFalse();
        if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
            assertThat(first.exitValue()).as("exit code of %s: 128 + SIGKILL", first).isEqualTo(137);
        }
        assertThat(first.log()).as("a kill leaves no time for a graceful shutdown").doesNotContain("is shutting down");

        // what the first relay sent, the calls the kill cut short included: the relay is gone, so this is final
        Map<String, Long> sentByFirst = countPerPhoto(deliveries());
        long requestsBeforeKill = sum(sentByFirst);
        assertThat(requestsBeforeKill).as("the kill must fall mid-batch").isLessThan(PHOTOS / 2);
        assertThat(sentByFirst).as("the first relay sent no photo twice")
                .allSatisfy((photo, n) -> assertThat(n).isEqualTo(1));
        // the platform has these, but the relay had not settled them: each is either in the journal or was in flight
        Set<String> reachedButUnsettled = new TreeSet<>(sentByFirst.keySet());
        reachedButUnsettled.retainAll(visibleFiles(inbox));

        RelayProcess second = start("relay-2");
        Map<String, JsonNode> receipts = awaitAllSettled(second, PHOTOS);

        List<Delivery> deliveries = deliveries();
        Map<String, Long> received = countPerPhoto(deliveries);
        assertThat(received.keySet()).as("photos the platform received")
                .containsExactlyInAnyOrderElementsOf(photos.keySet());
        Set<String> intact = deliveries.stream().filter(d -> Arrays.equals(d.content(), photos.get(d.photo())))
                .map(Delivery::photo).collect(Collectors.toSet());
        assertThat(intact).as("photos the platform received whole")
                .containsExactlyInAnyOrderElementsOf(photos.keySet());
        assertThat(visibleFiles(inbox.resolve(".failed"))).as("files in .failed/").isEmpty();

        assertThat(receipts.keySet()).as("receipts in .sent/").containsExactlyInAnyOrderElementsOf(photos.keySet());
        receipts.forEach((photo, receipt) -> {
            assertThat(receipt.path("status").asText()).as("status of %s", photo).isEqualTo("sent");
            assertThat(receipt.path("recipients").findValuesAsText("status")).as("recipients of %s", photo)
                    .containsExactly("sent");
            assertThat(Files.isRegularFile(inbox.resolve(".sent").resolve(photo))).as("%s in .sent/", photo).isTrue();
        });

        Map<String, Long> duplicated = received.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum, TreeMap::new));
        long duplicates = sum(duplicated) - duplicated.size();
        Set<String> recalled = receipts.entrySet().stream()
                .filter(e -> e.getValue().path("recipients").findValuesAsText("alreadySent").contains("true"))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));

        System.out.printf("CrashIT: %d requests before the kill (%d photos reached but unsettled), %d requests in all "
                + "for %d photos, %d duplicate(s) %s (at most %d allowed), %d recalled as alreadySent %s, %.1f s%n",
                requestsBeforeKill, reachedButUnsettled.size(), sum(received), PHOTOS, duplicates, duplicated.keySet(),
                CONCURRENCY, recalled.size(), recalled, (System.nanoTime() - began) / 1e9);

        assertThat(duplicates).as("photos sent again after the restart: %s", duplicated)
                .isLessThanOrEqualTo(CONCURRENCY);
        // a photo is sent twice only if the kill cut its call short: once by each relay, never more
        assertThat(duplicated.keySet()).as("photos sent twice").isSubsetOf(reachedButUnsettled);
        assertThat(duplicated.values()).as("times each of them was sent").containsOnly(2L);
        // the journal stands for the rest: those the platform confirmed were not sent again
        assertThat(recalled).as("photos recalled from the journal").isSubsetOf(reachedButUnsettled);
        recalled.forEach(photo -> assertThat(received.get(photo)).as("requests for %s", photo).isEqualTo(1));
        assertThat(recalled.size() + duplicated.size()).as("reached but unsettled at the kill: %s, recalled: %s, "
                + "sent again: %s", reachedButUnsettled, recalled, duplicated.keySet())
                .isEqualTo(reachedButUnsettled.size());

        second.stop();
        assertThat(second.isAlive()).isFalse();
    }

    /**
     * The journal at work, made certain: a photo for two chats reaches the first, while the second chat's call hangs
     * until the kill. After the restart the first chat is not sent the photo again (its receipt says
     * {@code alreadySent}); only the call the kill cut short is made again.
     */
    @Test
    void aChatThatGotThePhotoBeforeAKillIsNotSentItAgain() throws IOException {
        String reached = chat(0);
        String hanging = chat(1);
        // longer than the relay waits for the kill, shorter than its timeout: the call is in flight at the kill
        StubMapping hangs = telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("chat_id").withBody(equalTo(hanging)))
                .willReturn(okJson(OK).withFixedDelay(20_000)));
        Map<String, String> pair = Map.of("relay.destinations.pair", "telegram:" + reached + ",telegram:" + hanging,
                "relay.http.timeout", "30s");
        drop("pair/both.jpg", TestImages.jpeg(320, 240));

        RelayProcess first = start("relay-1", pair);
        // the relay writes a confirmed delivery to its journal (and forces it to disk) before anything else
        await().atMost(Duration.ofSeconds(60))
                .until(() -> countPerPhoto(deliveries()).keySet().equals(Set.of(
                        "telegram/" + reached + "/both.jpg", "telegram/" + hanging + "/both.jpg"))
                        && journal().contains(reached));
        first.kill();
        assertThat(first.isAlive()).as("%s after SIGKILL", first).isFalse();
        assertThat(visibleFiles(inbox)).as("unsettled at the kill").contains("pair/both.jpg");

        telegram.removeStub(hangs);
        RelayProcess second = start("relay-2", pair);
        Map<String, JsonNode> receipts = awaitAllSettled(second, 1);

        assertThat(second.log()).contains("Journal: 1 photo(s) in the inbox were already delivered to some recipients");
        JsonNode recipients = receipts.get("pair/both.jpg").path("recipients");
        assertThat(recipients).hasSize(2);
        assertThat(recipients.get(0).path("recipient").asText()).isEqualTo(reached);
        assertThat(recipients.get(0).path("status").asText()).isEqualTo("sent");
        assertThat(recipients.get(0).path("alreadySent").asBoolean()).as("recalled from the journal").isTrue();
        assertThat(recipients.get(1).path("recipient").asText()).isEqualTo(hanging);
        assertThat(recipients.get(1).path("status").asText()).isEqualTo("sent");
        assertThat(recipients.get(1).has("alreadySent")).isFalse();
        assertThat(countPerPhoto(deliveries())).as("requests per chat").containsExactly(
                Map.entry("telegram/" + reached + "/both.jpg", 1L),
                // the call in flight at the kill, and the one after the restart
                Map.entry("telegram/" + hanging + "/both.jpg", 2L));

        second.stop();
    }

    /**
     * An album of 12 photos goes to Telegram in two calls (10, then 2). The first goes through; the second hangs until
     * the kill. After the restart only the second call is made again: the journal held the first at once, so none of
     * its ten photos reaches the chat twice, and the receipt lists all twelve with their message ids.
     */
    @Test
    void anAlbumCutShortByAKillGoesOnAfterTheCallsThatWentThrough() throws IOException {
        String chat = chat(2);
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            messages.append(i == 0 ? "" : ",").append("{\"message_id\":").append(500 + i).append('}');
        }
        String album = "{\"ok\":true,\"result\":[" + messages + "]}";
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_MEDIA_GROUP)).willReturn(okJson(album)));
        // the second call carries 11.jpg and 12.jpg: it is in flight at the kill
        StubMapping hangs = telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_MEDIA_GROUP)).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("photo0")
                        .withHeader("Content-Disposition", containing("filename=\"11.jpg\"")))
                .willReturn(okJson(album).withFixedDelay(20_000)));
        Map<String, byte[]> photos = new LinkedHashMap<>();
        Path building = inbox.resolve("telegram/" + chat + "/.scene.part");
        Files.createDirectories(building);
        for (int i = 1; i <= 12; i++) {
            byte[] content = TestImages.jpeg(80 + i, 60);
            Files.write(building.resolve("%02d.jpg".formatted(i)), content);
            photos.put("%02d.jpg".formatted(i), content);
        }
        Files.move(building, inbox.resolve("telegram/" + chat + "/scene"), StandardCopyOption.ATOMIC_MOVE);
        Map<String, String> slow = Map.of("relay.http.timeout", "30s");

        RelayProcess first = start("relay-1", slow);
        await().atMost(Duration.ofSeconds(60)).until(() -> albumCalls().size() == 2 && journal().contains(chat));
        first.kill();
        assertThat(first.isAlive()).as("%s after SIGKILL", first).isFalse();

        telegram.removeStub(hangs);
        RelayProcess second = start("relay-2", slow);
        Map<String, JsonNode> receipts = awaitAllSettled(second, 1);

        List<List<String>> calls = albumCalls();
        assertThat(calls).as("the calls Telegram got: the first, the one the kill cut short, that one again")
                .containsExactly(names(1, 10), names(11, 12), names(11, 12));
        JsonNode outcome = receipts.get("telegram/" + chat + "/scene").path("recipients").get(0);
        assertThat(outcome.path("status").asText()).isEqualTo("sent");
        assertThat(outcome.path("photos").findValuesAsText("file")).containsExactlyElementsOf(names(1, 12));
        assertThat(outcome.path("photos").findValuesAsText("messageId")).startsWith("500", "501").hasSize(12);
        for (Map.Entry<String, byte[]> photo : photos.entrySet()) {
            assertThat(inbox.resolve(".sent/telegram/" + chat + "/scene/" + photo.getKey())).hasBinaryContent(photo.getValue());
        }
        second.stop();
    }

    /** The file names each {@code sendMediaGroup} call carried, call by call. */
    private List<List<String>> albumCalls() {
        return telegram.findAll(postRequestedFor(urlEqualTo(Received.TELEGRAM_SEND_MEDIA_GROUP))).stream()
                .map(call -> call.getParts().stream().map(part -> part.getHeader("Content-Disposition").firstValue())
                        .map(FILENAME::matcher).filter(Matcher::find).map(m -> m.group(1)).toList())
                .toList();
    }

    private static List<String> names(int from, int to) {
        List<String> names = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            names.add("%02d.jpg".formatted(i));
        }
        return names;
    }

    /**
     * 200 distinct photos (each a different size, so each has its own content and hash), 10 in each of 20 private
     * chats, so that the per-chat pace (1/s) rather than the overall one sets how long the batch takes.
     */
    private Map<String, byte[]> dropPhotos() {
        Map<String, byte[]> photos = new LinkedHashMap<>();
        for (int i = 0; i < PHOTOS; i++) {
            String photo = "telegram/" + chat(i % CHATS) + "/p-%03d.jpg".formatted(i);
            byte[] content = TestImages.jpeg(64 + i, 48 + i % 17);
            drop(photo, content);
            photos.put(photo, content);
        }
        return photos;
    }

    private static String chat(int n) {
        return String.valueOf(7_000_100 + n);
    }

    /** Under a hidden name, then renamed into place, as a careful producer does (see {@code Inbox#drop}). */
    private void drop(String photo, byte[] content) {
        try {
            Path target = inbox.resolve(photo);
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling("." + target.getFileName() + ".part");
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RelayProcess start(String name) throws IOException {
        return start(name, Map.of());
    }

    private RelayProcess start(String name, Map<String, String> more) throws IOException {
        Path routes = Files.createDirectories(folder.resolve("custom-routes"));
        Map<String, String> config = RelayProcess.settings(inbox, routes, telegram.baseUrl());
        config.put("relay.inbox.stable-for", "200ms");
        config.put("relay.concurrency", String.valueOf(CONCURRENCY));
        config.put("relay.http.timeout", "5s");
        config.putAll(more);
        RelayProcess relay = RelayProcess.start(name, folder, config);
        relays.add(relay);
        return relay;
    }

    /**
     * Waits until every photo has its receipt in .sent/ and none is left in the inbox; on timeout, fails with what
     * is where and the relay's log.
     */
    private Map<String, JsonNode> awaitAllSettled(RelayProcess relay, int photos) {
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> receiptFiles().size() == photos && visibleFiles(inbox).isEmpty());
        } catch (ConditionTimeoutException e) {
            Set<String> withoutReceipt = new TreeSet<>(visibleFiles(inbox.resolve(".sent")));
            withoutReceipt.removeIf(f -> f.endsWith(".receipt.json"));
            withoutReceipt.removeAll(receiptFiles());
            throw new AssertionError("Not all photos were settled after the restart: " + receiptFiles().size()
                    + " receipts of " + photos + "; still in the inbox: " + visibleFiles(inbox)
                    + "; in .sent/ without a receipt: " + withoutReceipt + "; in .failed/: "
                    + visibleFiles(inbox.resolve(".failed")) + "; requests: " + requestCount() + "\nlog of " + relay
                    + " (tail):\n" + relay.logTail(60), e);
        }
        Map<String, JsonNode> receipts = new TreeMap<>();
        for (String photo : receiptFiles()) {
            try {
                receipts.put(photo, JSON.readTree(inbox.resolve(".sent").resolve(photo + ".receipt.json").toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return receipts;
    }

    /** The photos (relative paths) that have a receipt in .sent/. */
    private Set<String> receiptFiles() {
        return visibleFiles(inbox.resolve(".sent")).stream().filter(f -> f.endsWith(".receipt.json"))
                .map(f -> f.substring(0, f.length() - ".receipt.json".length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Files below {@code root} (relative, with /), without hidden files and folders (.sent/, .journal, *.part...). The
     * relay moves files while we look: a file gone between listing and reading is simply not there.
     */
    private static Set<String> visibleFiles(Path root) {
        Set<String> files = new TreeSet<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!hidden(file)) {
                        files.add(root.relativize(file).toString().replace('\\', '/'));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static boolean hidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    /** The relay's journal of confirmed deliveries, {@code <inbox>/.journal}: one JSON object a line. */
    private String journal() throws IOException {
        Path journal = inbox.resolve(".journal");
        return Files.exists(journal) ? Files.readString(journal) : "";
    }

    private int requestCount() {
        return telegram.countRequestsMatching(postRequestedFor(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).build())
                .getCount();
    }

    /** One sendPhoto the platform received: which photo (chat/file name), with the bytes it carried. */
    private record Delivery(String photo, byte[] content) {
    }

    private List<Delivery> deliveries() {
        return telegram.findAll(postRequestedFor(urlEqualTo(Received.TELEGRAM_SEND_PHOTO))).stream()
                .map(CrashIT::delivery).toList();
    }

    private static Delivery delivery(LoggedRequest request) {
        String chat = request.getPart("chat_id").getBody().asString();
        Request.Part photo = request.getPart("photo");
        String fileName = photo.getFileName();
        if (fileName == null) {
            Matcher m = FILENAME.matcher(photo.getHeader("Content-Disposition").firstValue());
            assertThat(m.find()).as("file name in %s", photo.getHeader("Content-Disposition")).isTrue();
            fileName = m.group(1);
        }
        return new Delivery("telegram/" + chat + "/" + fileName, photo.getBody().asBytes());
    }

    private static Map<String, Long> countPerPhoto(List<Delivery> deliveries) {
        return deliveries.stream()
                .collect(Collectors.groupingBy(Delivery::photo, TreeMap::new, Collectors.counting()));
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
