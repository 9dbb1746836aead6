package dev.photorelay.inbox;

import java.time.Duration;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;

/**
 * How the inbox's polls go, so that a stuck inbox is seen: a poll that has not ended for longer than
 * {@code relay.inbox.stall-after} (a read that blocks, a hung network share) makes the relay not live, naming the file
 * the poll is on, so that a supervisor restarts it. Every file a poll looks at and takes is announced here first.
 */
@Singleton
public class InboxPolls {

    private final long stallAfterNanos;
    private volatile long lastEndNanos = System.nanoTime();
    private volatile String currentFile;

    @Inject
    public InboxPolls(RelayConfig config) {
        this(config.inbox().stallAfter());
    }

    InboxPolls(Duration stallAfter) {
        this.stallAfterNanos = stallAfter.toNanos();
    }

    /** The poll is at this file (relative to the inbox). */
    void at(String file) {
        currentFile = file;
    }

    void ended() {
        currentFile = null;
        lastEndNanos = System.nanoTime();
    }

    /**
     * @return why the inbox is stuck: how long since a poll last ended, and the file the poll is on if any; empty
     *         while polls keep ending within {@code relay.inbox.stall-after}
     */
    public Optional<String> stuck() {
        long since = System.nanoTime() - lastEndNanos;
        if (since <= stallAfterNanos) {
            return Optional.empty();
        }
        String file = currentFile;
        return Optional.of("no poll has ended for " + Duration.ofNanos(since).toSeconds() + " s (relay.inbox.stall-after)"
                + (file == null ? "" : "; stuck on " + Printable.of(file)));
    }
}
