package dev.photorelay.inbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.jboss.logging.Logger;

import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.DeliveryJournal;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Keeps the inbox watchable: before each poll it recreates the inbox if someone deleted it (and the journal with it),
 * and it never lets the consumer walk into a linked folder, which could lead anywhere on the disk.
 */
@Singleton
@Named("inboxGuard")
@RegisterForReflection
public class InboxGuard implements PollingConsumerPollStrategy, GenericFileFilter<File> {

    private static final Logger LOG = Logger.getLogger(InboxGuard.class);
    private static final Pattern NOT_PHOTOS = Pattern.compile(".*\\.(part|tmp|json)");

    private final Path inbox;
    private final DeliveryJournal journal;
    private final Set<String> linkedFoldersSeen = ConcurrentHashMap.newKeySet();

    public InboxGuard(RelayConfig config, DeliveryJournal journal) {
        this.inbox = Path.of(config.inbox().dir());
        this.journal = journal;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        if (!Files.isDirectory(inbox)) {
            try {
                journal.rewrite();
                LOG.warnf("The inbox %s was missing and has been created again", inbox.toAbsolutePath());
            } catch (IOException e) {
                LOG.errorf("The inbox %s is missing and cannot be created: %s", inbox.toAbsolutePath(), e.getMessage());
                return false;
            }
        }
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        // nothing to do after a good poll
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        LOG.warnf("Polling the inbox failed, trying again at the next poll: %s", cause.getMessage());
        return false;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        if (!file.isDirectory()) {
            return isPhoto(file.getFileNameOnly());
        }
        if (Files.isSymbolicLink(file.getFile().toPath())) {
            if (linkedFoldersSeen.add(file.getAbsoluteFilePath())) {
                LOG.warnf("Skipping the linked folder %s in the inbox: the relay does not follow links",
                        file.getRelativeFilePath());
            }
            return false;
        }
        return true;
    }

    /**
     * Whether a file in the inbox is a photo to send: not hidden (the relay's own files), not a file still being
     * written ({@code *.part}, {@code *.tmp}) and not a sidecar ({@code *.json}).
     */
    public static boolean isPhoto(String fileName) {
        return !fileName.startsWith(".") && !NOT_PHOTOS.matcher(fileName).matches();
    }
}
