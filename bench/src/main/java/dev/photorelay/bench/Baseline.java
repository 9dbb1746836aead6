package dev.photorelay.bench;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The minimal hand-written uploader the relay is compared with: watches the inbox (inotify through the
 * WatchService), sends every photo that appears to its recipients exactly as the relay would, on a fixed pool of
 * {@code relay.concurrency} threads, and moves it to {@code .sent/}. No retries, no pacing, no per-recipient order,
 * no journal, no records. Configured with the relay's own {@code -D} keys, so both get the same settings.
 * <p>
 * With {@code -Dbaseline.durable=true} (the durable baseline) it also does the relay's durable work by hand:
 * {@link BaselineDurability}.
 * <p>
 * The benchmark creates the recipient folders before starting it, so watching the folders there at start is enough.
 */
public final class Baseline {

    private final Path inbox;
    private final Path done;
    private final BaselineSender sender;
    private final ExecutorService pool;
    private final Set<Path> taken = ConcurrentHashMap.newKeySet();
    /** Null for the minimal baseline. */
    private final BaselineDurability durability;

    private Baseline(Path inbox, BaselineSender sender, int concurrency, BaselineDurability durability) {
        this.inbox = inbox;
        this.done = inbox.resolve(".sent");
        this.sender = sender;
        this.pool = Executors.newFixedThreadPool(concurrency);
        this.durability = durability;
    }

    public static void main(String[] args) throws Exception {
        Path inbox = Path.of(System.getProperty("relay.inbox.dir")).toAbsolutePath();
        int concurrency = Integer.getInteger("relay.concurrency", 8);
        BaselineDurability durability = Boolean.getBoolean("baseline.durable") ? new BaselineDurability(inbox) : null;
        new Baseline(inbox, new BaselineSender(System.getProperties(), concurrency), concurrency, durability).run();
    }

    private void run() throws IOException, InterruptedException {
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            for (Path folder : folders()) {
                folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            }
            // the same line the relay logs when it is ready, so the benchmark times both alike
            System.out.println("Watching inbox " + inbox);
            try (Stream<Path> present = Files.walk(inbox)) {
                present.filter(this::isPhoto).forEach(this::take);
            }
            while (true) {
                WatchKey key = watcher.take();
                Path folder = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context() instanceof Path name && isPhoto(folder.resolve(name))) {
                        take(folder.resolve(name));
                    }
                }
                key.reset();
            }
        }
    }

    private List<Path> folders() throws IOException {
        try (Stream<Path> all = Files.walk(inbox)) {
            return all.filter(Files::isDirectory).filter(dir -> !isHidden(inbox.relativize(dir))).toList();
        }
    }

    private boolean isPhoto(Path file) {
        return Files.isRegularFile(file) && !isHidden(inbox.relativize(file));
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Sends the photo to each recipient as its own task; the last one to finish files the photo. */
    private void take(Path photo) {
        if (!taken.add(photo)) {
            return;
        }
        Path relativePath = inbox.relativize(photo);
        String relative = relativePath.toString();
        String sha256;
        try {
            sha256 = durability == null ? null : BaselineDurability.sha256(photo);
        } catch (IOException e) {
            System.err.println("cannot read " + photo + ": " + e);
            return;
        }
        List<String[]> recipients = recipients(relativePath);
        List<String[]> reached = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger remaining = new AtomicInteger(recipients.size());
        for (String[] recipient : recipients) {
            pool.execute(() -> {
                try {
                    sender.send(recipient[0], recipient[1], photo);
                    if (durability != null) {
                        durability.delivered(relative, sha256, recipient[0], recipient[1]);
                    }
                    reached.add(recipient);
                } catch (IOException | RuntimeException e) {
                    System.err.println("not sent " + photo + " to " + recipient[0] + ":" + recipient[1] + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (remaining.decrementAndGet() == 0) {
                    fileAway(photo, relative, sha256, reached);
                }
            });
        }
    }

    /** {@code <target>/<recipient>/<file>}, or {@code <alias>/<file>} with the alias's {@code target:recipient} list. */
    private static List<String[]> recipients(Path relative) {
        List<String[]> recipients = new ArrayList<>();
        if (relative.getNameCount() == 3) {
            recipients.add(new String[] {relative.getName(0).toString(), relative.getName(1).toString()});
        } else {
            String alias = System.getProperty("relay.destinations." + relative.getName(0));
            for (String entry : alias.split(",")) {
                // split at the first colon only: a Sonoran recipient such as STEAM:1001 has one of its own
                String[] parts = entry.split(":", 2);
                recipients.add(parts);
            }
        }
        return recipients;
    }

    private void fileAway(Path photo, String relative, String sha256, List<String[]> reached) {
        try {
            Path to = done.resolve(relative);
            Files.createDirectories(to.getParent());
            if (durability == null) {
                Files.move(photo, to);
            } else {
                durability.settle(photo, to, relative, sha256, reached);
            }
        } catch (IOException e) {
            System.err.println("cannot move " + photo + ": " + e);
        }
    }
}
