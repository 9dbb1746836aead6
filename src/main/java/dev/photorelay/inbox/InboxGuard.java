package dev.photorelay.inbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.DeliveryJournal;
import dev.photorelay.operations.DiskWatch;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Keeps the inbox watchable and decides which files a poll takes. Before each poll it recreates the inbox if someone
 * deleted it (and the journal with it); it never lets the consumer walk into a linked folder, which could lead anywhere
 * on the disk; it takes photos only (see {@link InboxNames}), and only once they are finished ({@link Arrivals}); an
 * album folder is taken whole, through its first photo, once all of it is finished. Each
 * poll's progress goes to {@link InboxPolls}, so that a stuck one is seen.
 */
@Singleton
@Named("inboxGuard")
@RegisterForReflection
public class InboxGuard implements PollingConsumerPollStrategy, GenericFileFilter<File> {

    private static final Logger LOG = Logger.getLogger(InboxGuard.class);

    private final Path inbox;
    private final DeliveryJournal journal;
    private final Arrivals arrivals;
    private final PhotosInProgress inProgress;
    private final InboxPolls polls;
    private final DiskWatch disk;
    private final InboxWakeups wakeups;
    private final long incompleteAfterMillis;
    /** The inbox folder's file key at the last poll, to see it replaced. */
    private volatile Object inboxKey;
    private final Set<String> linkedFoldersSeen = ConcurrentHashMap.newKeySet();
    private final Set<String> unreachableSeen = ConcurrentHashMap.newKeySet();

    public InboxGuard(RelayConfig config, DeliveryJournal journal, Arrivals arrivals, PhotosInProgress inProgress,
            InboxPolls polls, DiskWatch disk, InboxWakeups wakeups) {
        this.disk = disk;
        this.wakeups = wakeups;
        this.incompleteAfterMillis = config.inbox().incompleteAfter().toMillis();
        this.inbox = Path.of(config.inbox().dir());
        this.journal = journal;
        this.arrivals = arrivals;
        this.inProgress = inProgress;
        this.polls = polls;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        arrivals.pollStarted();
        if (!disk.mayPoll()) {
            // the relay cannot write its own files: nothing could be filed, so nothing is taken until it can
            polls.ended();
            return false;
        }
        if (!Files.isDirectory(inbox)) {
            try {
                journal.rewrite();
                wakeups.watchAgain();
                LOG.warnf("The inbox %s was missing and has been created again", inbox.toAbsolutePath());
            } catch (IOException e) {
                LOG.errorf("The inbox %s is missing and cannot be created: %s", inbox.toAbsolutePath(), e.getMessage());
                polls.ended();
                return false;
            }
        } else if (replaced()) {
            // another folder now has the inbox's name (mv inbox old && mkdir inbox): the journal and the watches
            // were on the old one
            try {
                journal.rewrite();
                wakeups.watchAgain();
                LOG.warnf("The inbox %s was replaced by another folder; the relay works in the new one",
                        inbox.toAbsolutePath());
            } catch (IOException e) {
                LOG.errorf("The inbox %s was replaced and its journal cannot be written: %s", inbox.toAbsolutePath(),
                        e.getMessage());
                polls.ended();
                return false;
            }
        }
        return true;
    }

    /** Whether the inbox is another folder than at the last poll (its file key, the inode on Linux, changed). */
    private boolean replaced() {
        Object key;
        try {
            key = Files.readAttributes(inbox, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return false;
        }
        Object before = inboxKey;
        inboxKey = key;
        return before != null && key != null && !before.equals(key);
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        arrivals.pollEnded();
        polls.ended();
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        LOG.warnf("Polling the inbox failed, trying again at the next poll: %s", Printable.of(cause.getMessage()));
        polls.ended();
        return false;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        String relative = file.getRelativeFilePath();
        polls.at(relative);
        if (!file.isDirectory()) {
            // asked before looking at the file: a photo being sent is seen at every poll until it is filed
            if (!InboxNames.isPhoto(file.getFileNameOnly())) {
                return false;
            }
            if (inProgress.contains(file.getAbsoluteFilePath())) {
                return true; // the consumer passes over it, as it is being sent (an album: its first photo)
            }
        }
        Path path = file.getFile().toPath();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            if (file.getFileNameOnly().indexOf('\uFFFD') >= 0) {
                // a name Java cannot reach: not found by its decoded name, or that name is longer than names may be
                renameUnreadable(path.getParent());
            } else if (!(e instanceof NoSuchFileException) && unreachableSeen.add(file.getAbsoluteFilePath())) {
                LOG.warnf("Cannot look at %s in the inbox: %s", Printable.of(relative), Printable.of(e.getMessage()));
            }
            return false; // gone since the listing, or looked at again at the next poll
        }
        if (attributes.isDirectory() && InboxNames.isLeftoverFolder(file.getFileNameOnly())) {
            return false;
        }
        if (attributes.isDirectory()) {
            if (InboxFiles.isAlbumFolder(inbox.toAbsolutePath().relativize(path.toAbsolutePath()).toString())
                    && isLeftAlone(path, attributes)) {
                deleteEmptied(path);
                return false;
            }
            return true;
        }
        if (file.isDirectory()) { // a link to a folder
            if (linkedFoldersSeen.add(file.getAbsoluteFilePath())) {
                LOG.warnf("Skipping the linked folder %s in the inbox: the relay does not follow links",
                        Printable.of(relative));
            }
            return false;
        }
        try {
            // from the path itself: Camel's relative name reads a backslash in a file name as a folder separator
            String inInbox = inbox.toAbsolutePath().relativize(path.toAbsolutePath()).toString();
            return InboxFiles.inAlbum(inInbox) ? arrivals.mayTakeAlbum(path) : arrivals.mayTake(path, attributes);
        } catch (IOException unreadable) {
            return true; // taken, to be filed with the reason it cannot be read, rather than looked at for ever
        }
    }

    /** An album folder its photos were filed from: empty, and unchanged for relay.inbox.incomplete-after. */
    private boolean isLeftAlone(Path folder, BasicFileAttributes attributes) {
        if (System.currentTimeMillis() - attributes.lastModifiedTime().toMillis() < incompleteAfterMillis) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteEmptied(Path folder) {
        try {
            Files.delete(folder);
        } catch (IOException e) {
            // written into meanwhile, or not ours to delete: looked at again at the next poll
            LOG.debugf("Not removing the album folder %s: %s", folder, e.getMessage());
        }
    }

    private static void renameUnreadable(Path folder) {
        try {
            InboxNames.renameUnreadable(folder);
        } catch (IOException e) {
            LOG.warnf("Cannot rename a file whose name is not valid UTF-8 in %s: %s", Printable.of(folder.toString()),
                    Printable.of(e.getMessage()));
        }
    }
}
