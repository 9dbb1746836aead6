package dev.photorelay.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How fast the fake platform alone takes photos: a bare JDK HttpClient on {@code threads} threads sending Telegram
 * uploads of one photo as fast as it answers. Shows that the fake is not what limits the figures.
 */
final class FakeSelfCheck {

    private static final Duration WARM_UP = Duration.ofSeconds(1);
    private static final Duration MEASURED = Duration.ofSeconds(3);

    private FakeSelfCheck() {
    }

    /** Photos per second. */
    static double run(FakePlatform fake, Path photo, int threads) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(fake.baseUrl() + "/bot" + FakePlatform.CREDENTIALS.telegramToken() + "/sendPhoto");
        AtomicInteger answered = new AtomicInteger();
        long measureFrom = System.nanoTime() + WARM_UP.toNanos();
        long until = measureFrom + MEASURED.toNanos();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String chat = Destinations.telegramChat(4_000_000 + t);
            Thread sender = new Thread(() -> {
                try {
                    for (long now = System.nanoTime(); now < until; now = System.nanoTime()) {
                        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", Multipart.contentType())
                                .POST(Multipart.body(chat, photo)).build();
                        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 200 && now >= measureFrom) {
                            answered.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    Progress.say("fake self-check: %s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "self-check " + t);
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        fake.reset();
        return answered.get() / (double) MEASURED.toSeconds();
    }
}
