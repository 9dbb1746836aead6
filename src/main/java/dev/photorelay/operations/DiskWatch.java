package dev.photorelay.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.photorelay.HostFault;
import dev.photorelay.RelayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The relay's own disk, watched as Postfix watches its queue: a write of the relay's that fails ({@link HostFault}) is
 * said once, with why and how much space is left, and once more when it is over (a fault back within five minutes of
 * the last one's end, a disk at its edge, is not said again, and its back-off keeps growing); meanwhile the inbox is
 * polled only
 * after a back-off (1 s, doubling to 30 s), each time after a probe write to every folder that failed, and photos
 * wait in the inbox instead of being filed as failed. Readiness is {@code DOWN} while a fault lasts or the inbox's
 * disk has less free space than {@code relay.inbox.min-free-space}; the gauge {@code relay_inbox_free_bytes} gives it
 * for alerting.
 */
@Singleton
@Named("diskWatch")
@RegisterForReflection
public class DiskWatch {

    private static final Logger LOG = Logger.getLogger(DiskWatch.class);
    private static final Duration FIRST_BACK_OFF = Duration.ofSeconds(1);
    private static final Duration LONGEST_BACK_OFF = Duration.ofSeconds(30);
    /** A fault this soon after the last one ended is not logged again. */
    private static final Duration QUIET_AFTER_RECOVERY = Duration.ofMinutes(5);
    /** A probe writes this much: on a full disk an empty file can still be made, a block cannot. */
    private static final int PROBE_BYTES = 4096;

    private final Path inbox;
    private final long minFreeBytes;
    /** The folders a write failed in, with why; empty while all is well. */
    private final Map<Path, String> faults = new LinkedHashMap<>();
    private Duration backOff = FIRST_BACK_OFF;
    private Instant nextProbe = Instant.MIN;
    /** When the last fault was over; a fault soon after it is the same trouble coming back (a disk at its edge). */
    private Instant lastRecovery = Instant.MIN;
    /** Whether this fault was logged, so that its end is too. */
    private boolean warned;

    public DiskWatch(RelayConfig config, MeterRegistry registry) {
        this.inbox = Path.of(config.inbox().dir());
        this.minFreeBytes = config.inbox().minFreeSpace().asLongValue();
        Gauge.builder("relay.inbox.free.bytes", this, DiskWatch::freeBytes).baseUnit("bytes")
                .description("Usable space on the inbox's file system").register(registry);
    }

    /**
     * A write of the relay's own failed. The first fault since all was well is logged, once, with the free space.
     *
     * @param fault what could not be written, and why
     */
    public synchronized void report(HostFault fault) {
        String why = HostFault.describe(fault.getCause() instanceof IOException cause ? cause : fault);
        if (faults.isEmpty()) {
            Instant now = Instant.now();
            if (now.isBefore(lastRecovery.plus(QUIET_AFTER_RECOVERY))) {
                // back soon after it was over: the same trouble, not news; the back-off keeps growing
                backOff = longer(backOff);
                warned = false;
            } else {
                LOG.warnf("The relay cannot write to %s: %s (%s free on the inbox's disk). Photos wait in the inbox "
                        + "and go on once it can; readiness is DOWN meanwhile", fault.folder(), why,
                        megabytes(freeBytes()));
                backOff = FIRST_BACK_OFF;
                warned = true;
            }
            nextProbe = now.plus(backOff);
        }
        faults.putIfAbsent(fault.folder(), why);
    }

    /** Whether a write of the relay's own failed and has not been seen to work again. */
    public synchronized boolean faulty() {
        return !faults.isEmpty();
    }

    /**
     * Asked before each poll of the inbox: always yes while all is well; during a fault, yes only once the back-off
     * is over and a probe write works in every folder that failed (then the fault is over, and said so once).
     */
    public synchronized boolean mayPoll() {
        if (faults.isEmpty()) {
            return true;
        }
        if (Instant.now().isBefore(nextProbe)) {
            return false;
        }
        if (faults.keySet().stream().allMatch(DiskWatch::canWrite)) {
            if (warned) {
                LOG.infof("The relay can write to %s again (%s free on the inbox's disk); waiting photos go on",
                        String.join(", ", faults.keySet().stream().map(Path::toString).toList()),
                        megabytes(freeBytes()));
            }
            faults.clear();
            lastRecovery = Instant.now();
            return true;
        }
        backOff = longer(backOff);
        nextProbe = Instant.now().plus(backOff);
        return false;
    }

    private static Duration longer(Duration backOff) {
        Duration doubled = backOff.multipliedBy(2);
        return doubled.compareTo(LONGEST_BACK_OFF) > 0 ? LONGEST_BACK_OFF : doubled;
    }

    /** Seconds until the next probe: a client's {@code Retry-After} during a fault (at least 1). */
    public synchronized long retryAfterSeconds() {
        return Math.max(1, Duration.between(Instant.now(), nextProbe).toSeconds() + 1);
    }

    /** Why the relay is not ready because of its disk, or null if it is. */
    public synchronized String problem() {
        if (!faults.isEmpty()) {
            Map.Entry<Path, String> first = faults.entrySet().iterator().next();
            return "cannot write to " + first.getKey() + ": " + first.getValue();
        }
        if (!Files.isDirectory(inbox) || !Files.isWritable(inbox)) {
            return "not writable: " + inbox.toAbsolutePath();
        }
        long free = freeBytes();
        if (free >= 0 && free < minFreeBytes) {
            return megabytes(free) + " free on the inbox's disk, less than relay.inbox.min-free-space ("
                    + megabytes(minFreeBytes) + ")";
        }
        return null;
    }

    /** Usable bytes on the inbox's file system; -1 if it cannot be asked. */
    public long freeBytes() {
        try {
            return Files.getFileStore(Files.isDirectory(inbox) ? inbox : inbox.toAbsolutePath().getParent())
                    .getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean canWrite(Path folder) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            return false; // a file where the relay needs a folder stays a fault until someone moves it
        }
        Path existing = folder.toAbsolutePath();
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return false;
        }
        try {
            Path probe = Files.createTempFile(existing, ".write-probe-", ".tmp");
            try {
                Files.write(probe, new byte[PROBE_BYTES]);
                return true;
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "unknown" : String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
