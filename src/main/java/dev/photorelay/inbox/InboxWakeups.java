package dev.photorelay.inbox;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Consumer;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.jboss.logging.Logger;

import dev.photorelay.RelayConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The inbox consumer's scheduler ({@code scheduler=#inboxWakeups}): polls every {@code relay.inbox.poll-interval} as
 * Camel's default scheduler does, and also at once when the file system reports a change in the inbox (the JDK's
 * {@link WatchService}: inotify on Linux), and when {@link Arrivals} knows a file becomes ready to take
 * ({@code relay.inbox.stable-for} after it was last seen to change). So a photo renamed into the inbox is taken
 * {@code stable-for} after it arrives, not up to a poll interval later. Polls stay one at a time, on the consumer's
 * own thread, and at least {@link #MIN_GAP_NANOS} apart when woken; where no events come (a network share, a
 * watch limit reached), the interval's polls go on alone.
 */
@Singleton
@Named("inboxWakeups")
@RegisterForReflection
public class InboxWakeups extends DefaultScheduledPollConsumerScheduler {

    private static final Logger LOG = Logger.getLogger(InboxWakeups.class);
    /** Woken polls, at most one per this much: a burst of renames wakes a few polls, not one per file. */
    static final long MIN_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    /** A poll waits for events to pause this long (a burst of renames)... */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(30);
    /** ...but no longer than this after the first of them. */
    static final long MAX_QUIET_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(150);

    private final Path inbox;
    private final Map<WatchKey, Path> watched = new ConcurrentHashMap<>();
    /** When the next woken poll is due ({@link System#nanoTime()}), or {@link Long#MAX_VALUE} if none is. */
    private final AtomicLong wakeAt = new AtomicLong(Long.MAX_VALUE);
    /**
     * When the earliest photo asked for by {@link #wakeIn} may be taken: a run of events does not put that poll off
     * (at 50 renames a second the events never pause, and each photo would wait the longest quiet wait on top of
     * its stable-for). Photos renamed in with fresh times cannot be taken early by it: they are not stable yet.
     */
    private final AtomicLong photoDueAt = new AtomicLong(Long.MAX_VALUE);
    /**
     * The run of events brought a file already older than {@code stable-for} (copied with its times, {@code cp -p}),
     * or a folder: such files are taken at first sight, so their run is let finish even when a photo is due, or a
     * poll in its middle would take its newer files before its older ones.
     */
    private volatile boolean runBringsOldFiles;
    private final long stableForMillis;
    private volatile long lastPollAt;
    /** The last event, and the first of the run it belongs to (0: none since the last poll). */
    private volatile long lastEventAt;
    private volatile long firstEventAt;
    private volatile Runnable poll;
    private WatchService watcher;
    private volatile boolean watchLimitSaid;
    private Thread watching;

    public InboxWakeups(RelayConfig config) {
        this.inbox = Path.of(config.inbox().dir()).toAbsolutePath();
        this.stableForMillis = config.inbox().stableFor().toMillis();
    }

    /** A scheduler given to a consumer is not configured by it: the interval is taken from the consumer here. */
    @Override
    public void onInit(Consumer consumer) {
        super.onInit(consumer);
        if (consumer instanceof ScheduledPollConsumer scheduled) {
            setDelay(scheduled.getDelay());
            setInitialDelay(scheduled.getInitialDelay());
            setTimeUnit(scheduled.getTimeUnit());
            setUseFixedDelay(scheduled.isUseFixedDelay());
        }
    }

    @Override
    public void scheduleTask(Runnable task) {
        Runnable timed = () -> {
            long now = System.nanoTime();
            lastPollAt = now;
            firstEventAt = 0;
            runBringsOldFiles = false;
            photoDueAt.updateAndGet(due -> due <= now ? Long.MAX_VALUE : due);
            task.run();
        };
        poll = timed;
        super.scheduleTask(timed);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        try {
            watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.infof("The inbox is polled every %d ms only: no file system events (%s)", getDelay(), e.getMessage());
            return;
        }
        watch();
        watching = new Thread(this::takeEvents, "inbox-events");
        watching.setDaemon(true);
        watching.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (watcher != null) {
            watcher.close();
        }
        watched.clear();
        super.doStop();
    }

    /**
     * Watches the inbox and its folders (not the hidden ones: {@code .sent}, {@code .failed}, ... change with every
     * photo filed). Called at each poll too, so that an inbox deleted and made again is watched again.
     */
    public void watch() {
        if (watcher == null || watched.keySet().stream().anyMatch(WatchKey::isValid)) {
            return;
        }
        try {
            // a linked inbox is watched where it lies: the walk does not follow a link at its start
            watchTree(inbox.toRealPath());
        } catch (IOException e) {
            LOG.debugf("Not watching the inbox: %s", e.getMessage());
        }
    }

    /** The inbox was made again, or replaced: the old watches are dropped and the new folders watched. */
    public void watchAgain() {
        watched.keySet().forEach(WatchKey::cancel);
        watched.clear();
        watch();
    }

    private void watchTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) throws IOException {
                    if (!folder.equals(root) && isHiddenOrLeftover(folder)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    // not deletions: a file leaving (filed in .sent/) makes nothing ready, and a rename comes as a
                    // creation too; in a burst, the photos filed would wake a poll each
                    watched.put(folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY), folder);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | ClosedWatchServiceException e) {
            // no events from there (the system's limit of watches reached, fs.inotify.max_user_watches): its polls
            // still come, every poll-interval
            if (!watchLimitSaid) {
                watchLimitSaid = true;
                LOG.infof("Some inbox folders are polled every %d ms only, without file system events: %s", getDelay(),
                        e.getMessage());
            }
        }
    }

    private static boolean isHiddenOrLeftover(Path folder) {
        String name = folder.getFileName().toString();
        return name.startsWith(".") || InboxNames.isLeftoverFolder(name);
    }

    private void takeEvents() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Path folder = watched.get(key);
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (!(event.context() instanceof Path name)) {
                        relevant = true; // overflow: events were lost
                        continue;
                    }
                    if (name.toString().startsWith(".")) {
                        continue; // the relay's own files (.journal, .sent/...) and a tool's hidden temporary ones
                    }
                    relevant = true;
                    if (folder != null && !runBringsOldFiles) {
                        runBringsOldFiles = arrivedOld(folder.resolve(name));
                    }
                    if (folder != null && event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                            && Files.isDirectory(folder.resolve(name)) && !isHiddenOrLeftover(folder.resolve(name))) {
                        // a new recipient folder, or an album renamed in whole
                        watchTree(folder.resolve(name));
                    }
                }
                if (!key.reset()) {
                    watched.remove(key);
                }
                if (relevant) {
                    // a burst of renames is let finish first, so that one poll sees it whole (in the order of its
                    // files' times), unless it goes on for long
                    eventSettled();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException stopped) {
            // the relay is stopping
        }
    }

    /** A folder, or a file last changed longer than {@code stable-for} ago (gone already: no). */
    private boolean arrivedOld(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isDirectory()
                    || attributes.lastModifiedTime().toMillis() < System.currentTimeMillis() - stableForMillis;
        } catch (IOException gone) {
            return false;
        }
    }

    /**
     * An event came: a poll once no other has come for {@link #QUIET_NANOS}, or at most {@link #MAX_QUIET_WAIT_NANOS}
     * after the first of a run of events.
     */
    private void eventSettled() {
        long now = System.nanoTime();
        lastEventAt = now;
        if (firstEventAt == 0) {
            firstEventAt = now;
        }
        wakeAt(now + Math.min(QUIET_NANOS, firstEventAt + MAX_QUIET_WAIT_NANOS - now));
    }

    /**
     * Asks for a poll in {@code nanos} (0: at once), when a photo may be taken, unless one is due by then already;
     * the interval's polls are not changed.
     */
    public void wakeIn(long nanos) {
        long at = System.nanoTime() + nanos;
        photoDueAt.accumulateAndGet(at, Math::min);
        wakeAt(at);
    }

    /** A poll at {@code atNanos} ({@link System#nanoTime()}), put off while a run of events goes on. */
    private void wakeAt(long atNanos) {
        Runnable task = poll;
        ScheduledExecutorService executor = getScheduledExecutorService();
        if (task == null || executor == null || !isSchedulerStarted()) {
            return;
        }
        long at = Math.max(atNanos, lastPollAt + MIN_GAP_NANOS);
        long due = wakeAt.get();
        while (at < due) {
            if (wakeAt.compareAndSet(due, at)) {
                try {
                    executor.schedule(() -> {
                        wakeAt.compareAndSet(at, Long.MAX_VALUE);
                        long now = System.nanoTime();
                        boolean photoDue = photoDueAt.get() <= now && !runBringsOldFiles;
                        if (!photoDue && firstEventAt != 0 && now - lastEventAt < QUIET_NANOS
                                && now - firstEventAt < MAX_QUIET_WAIT_NANOS) {
                            long settled = Math.min(lastEventAt + QUIET_NANOS, firstEventAt + MAX_QUIET_WAIT_NANOS);
                            wakeAt(runBringsOldFiles ? settled : Math.min(settled, photoDueAt.get()));
                            return;
                        }
                        task.run();
                    }, at - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException stopping) {
                    wakeAt.compareAndSet(at, Long.MAX_VALUE);
                }
                return;
            }
            due = wakeAt.get();
        }
    }
}
