package dev.photorelay.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.photorelay.testing.Received;
import dev.photorelay.testing.RelayProcess;
import dev.photorelay.testing.TelegramWireMock;
import dev.photorelay.testing.TestImages;

/**
 * The relay's own disk fails under it, against the packaged jar on a small tmpfs the test mounts (as root, as CI
 * runs; elsewhere the test is skipped, unless {@code RELAY_TEST_MOUNTS} is set, as CI sets it): photos wait in the
 * inbox, readiness says why, the log says it once, and every photo goes on, once, when the disk is fine again.
 */
class OwnDiskFaultIT {

    private static final int PHOTOS = 10;
    private static final String OK = "{\"ok\":true,\"result\":{\"message_id\":1}}";
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]+)\"");
    private static final String API_TOKEN = "own-disk-fault-test-token";

    @TempDir
    Path folder;

    private Path disk;
    private Path inbox;
    private WireMockServer telegram;
    private RelayProcess relay;
    private int port;

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = Files.createDirectories(folder.resolve("disk"));
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", disk.toString()) == 0;
        if (!mounted && System.getenv("RELAY_TEST_MOUNTS") != null) {
            throw new AssertionError("RELAY_TEST_MOUNTS is set but a tmpfs cannot be mounted (run as root)");
        }
        Assumptions.assumeTrue(mounted, "mounting a tmpfs needs root");
        inbox = disk.resolve("inbox");
        telegram = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        telegram.start();
        telegram.stubFor(post(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).willReturn(okJson(OK).withFixedDelay(200)));
        port = RelayProcess.freePort();
        relay = RelayProcess.start("relay", folder, Map.of(
                "quarkus.http.port", String.valueOf(port),
                "relay.inbox.dir", inbox.toString(),
                "relay.inbox.stable-for", "100ms",
                "relay.inbox.min-free-space", "1M",
                "relay.telegram.base-uri", telegram.baseUrl(),
                "relay.telegram.token", TelegramWireMock.TOKEN,
                "relay.api.token", API_TOKEN));
    }

    @AfterEach
    void unmount() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (telegram != null) {
            telegram.stop();
        }
        run("umount", "-l", disk.resolve("inbox/.sent").toString());
        run("umount", "-l", disk.toString());
    }

    @Test
    void photosWaitWhileTheDiskIsFullAndEachGoesOnOnceThereIsRoom() throws Exception {
        dropPhotos();
        // the relay sends one photo a second to a chat: most are still to go when the disk fills up
        await().atMost(Duration.ofSeconds(20)).until(() -> requests() >= 1);
        Path filler = fill();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ready())
                .contains("\"status\": \"DOWN\"").contains("the disk is full"));
        // all ten reach Telegram meanwhile (the journal's file was made before the disk filled), none is filed
        await().atMost(Duration.ofSeconds(40)).until(() -> requests() >= PHOTOS);
        Thread.sleep(2_000); // a few more polls, each of which used to log a line
        assertThat(filed(".failed")).as("photos filed as failed").isZero();
        assertThat(lines("WARN", "cannot write to")).as("WARN lines about the disk: %s", linesWith("cannot write to")).isEqualTo(1);
        assertThat(relay.log()).doesNotContain("Rollback file strategy");
        // the API cannot keep an upload either: the relay's fault, to be sent again, not the client's
        HttpResponse<String> upload = upload();
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(503);
        assertThat(upload.headers().firstValue("Retry-After")).isPresent();
        assertThat(upload.body()).contains("INTERNAL_ERROR");

        Files.delete(filler);

        await().atMost(Duration.ofSeconds(60)).until(() -> filed(".sent") == PHOTOS);
        assertThat(perPhoto()).as("requests per photo").hasSize(PHOTOS).allSatisfy((photo, n) -> assertThat(n).isOne());
        assertThat(filed(".failed")).isZero();
        assertThat(lines("INFO", "can write to")).as("INFO lines once it is over").isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ready()).contains("\"status\": \"UP\""));
    }

    @Test
    void photosWaitWhileTheirFolderIsReadOnlyAndEachGoesOnOnceItIsWritable() throws Exception {
        Path sent = Files.createDirectories(inbox.resolve(".sent"));
        assertThat(run("mount", "--bind", sent.toString(), sent.toString())).isZero();
        assertThat(run("mount", "-o", "remount,bind,ro", sent.toString())).isZero();
        dropPhotos();

        await().atMost(Duration.ofSeconds(40)).until(() -> requests() >= PHOTOS);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ready())
                .contains("\"status\": \"DOWN\"").contains("read-only"));
        assertThat(filed(".failed")).isZero();
        assertThat(lines("WARN", "cannot write to")).as("WARN lines about the disk: %s", linesWith("cannot write to")).isEqualTo(1);

        assertThat(run("mount", "-o", "remount,bind,rw", sent.toString())).isZero();

        await().atMost(Duration.ofSeconds(60)).until(() -> filed(".sent") == PHOTOS);
        assertThat(perPhoto()).hasSize(PHOTOS).allSatisfy((photo, n) -> assertThat(n).isOne());
    }

    /** A photo sent to the HTTP API as a browser or curl sends it: one multipart file part, and fields. */
    private HttpResponse<String> upload() throws Exception {
        String boundary = "b0undary";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (String[] field : new String[][] { { "target", "telegram" }, { "recipient", "70002" } }) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
                    + field[1] + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(TestImages.noisyJpeg(200, 200, false));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/photos"))
                .header("Authorization", "Bearer " + API_TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Ten photos of about 150 KB for one chat, each written under a temporary name and renamed in. */
    private void dropPhotos() throws IOException {
        Path chat = Files.createDirectories(inbox.resolve("telegram/70001"));
        for (int i = 0; i < PHOTOS; i++) {
            Path temp = chat.resolve(".photo-" + i + ".jpg.part");
            Files.write(temp, TestImages.noisyJpeg(300 + i, 300, false));
            Files.move(temp, chat.resolve("photo-" + i + ".jpg"), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Fills the disk to the last byte, as a runaway log would. */
    private Path fill() throws IOException {
        Path filler = disk.resolve("filler");
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left");
        }
        return filler;
    }

    private long requests() {
        return telegram.countRequestsMatching(postRequestedFor(urlEqualTo(Received.TELEGRAM_SEND_PHOTO)).build()).getCount();
    }

    private Map<String, Integer> perPhoto() {
        Map<String, Integer> counts = new TreeMap<>();
        telegram.findAll(postRequestedFor(urlEqualTo(Received.TELEGRAM_SEND_PHOTO))).forEach(request -> {
            Matcher name = FILENAME.matcher(request.getBodyAsString());
            counts.merge(name.find() ? name.group(1) : "?", 1, Integer::sum);
        });
        return counts;
    }

    private long filed(String as) throws IOException {
        Path filed = inbox.resolve(as);
        if (!Files.isDirectory(filed)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(filed)) {
            return files.filter(file -> file.toString().endsWith(".jpg")).count();
        }
    }

    /** The relay's own log lines at this level saying this (the health framework logs each DOWN probe itself). */
    private long lines(String level, String text) {
        return relay.log().lines().filter(line -> line.contains(" " + level + " ") && line.contains(text)
                && line.contains("[dev.pho")).count();
    }

    private String linesWith(String text) {
        return String.join("\n", relay.log().lines().filter(line -> line.contains(text)).toList());
    }

    private String ready() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
