package dev.photorelay.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.photorelay.Folders;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.DeliveryJournal;
import dev.photorelay.delivery.DeliveryResult;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoKey;
import dev.photorelay.operations.DeliveryMetrics;
import dev.photorelay.platforms.ErrorClassifier;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Settles a photo once it was attempted: moves it (and its sidecar) from the inbox to {@code .sent/} or
 * {@code .failed/}, keeping its relative path and never overwriting an earlier file, and writes its record beside it.
 */
@Singleton
@Named("inboxArchive")
@RegisterForReflection
public class InboxArchive {

    static final String SENT = ".sent";
    static final String FAILED = ".failed";
    static final String RECEIPT_SUFFIX = ".receipt.json";
    static final String ERROR_SUFFIX = ".error.json";
    private static final Logger LOG = Logger.getLogger(InboxArchive.class);

    private final Path inbox;
    private final ObjectMapper json;
    private final ObjectWriter records;
    private final ErrorClassifier errors;

    private final DeliveryJournal journal;
    private final TakenPhotos taken;
    private final DeliveryMetrics metrics;

    public InboxArchive(RelayConfig config, ObjectMapper json, ErrorClassifier errors, DeliveryJournal journal,
            TakenPhotos taken, DeliveryMetrics metrics) {
        this.inbox = Path.of(config.inbox().dir());
        this.json = json;
        this.records = json.writerWithDefaultPrettyPrinter();
        this.errors = errors;
        this.journal = journal;
        this.taken = taken;
        this.metrics = metrics;
    }

    /**
     * A photo moved back from {@code .failed/} by a person: the recipients its record says were reached are put in
     * the journal, so only the others are sent it. Its new record will carry them, so the old one is removed.
     */
    public void resume(Exchange exchange) throws IOException {
        PhotoKey key = exchange.getProperty(DeliveryJournal.KEY, PhotoKey.class);
        Path earlier = inbox.resolve(FAILED).resolve(key.photo() + ERROR_SUFFIX);
        // a copy of a photo that is still in .failed/ is a new drop, not the failed one coming back
        if (!Files.isRegularFile(earlier) || Files.exists(inbox.resolve(FAILED).resolve(key.photo()))) {
            return;
        }
        DeliveryRecord record;
        try {
            record = json.readValue(earlier.toFile(), DeliveryRecord.class);
        } catch (JsonProcessingException unreadable) {
            return;
        }
        if (!key.sha256().equals(record.sha256())) {
            return; // another photo of the same name
        }
        List<String> reached = new ArrayList<>();
        for (Outcome outcome : record.recipients() == null ? List.<Outcome> of() : record.recipients()) {
            if (outcome.delivered()) {
                journal.remember(key, outcome);
                reached.add(outcome.target() + ":" + outcome.recipient());
            }
        }
        Files.delete(earlier);
        LOG.infof("Photo %s is back from %s/; already delivered to %s, sending to the rest", key.photo(), FAILED,
                reached.isEmpty() ? "none" : String.join(", ", reached));
    }

    public void sent(Exchange exchange) throws IOException {
        DeliveryResult result = exchange.getMessage().getBody(DeliveryResult.class);
        settle(exchange, SENT, RECEIPT_SUFFIX, null, null, result.outcomes());
    }

    public void failed(Exchange exchange) throws IOException {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ErrorCode code = ErrorClassifier.classify(caught);
        String reason = errors.reason(caught);
        PhotoDeliveryException failure = caught instanceof PhotoDeliveryException e ? e : null;
        DeliveryResult result = failure != null ? failure.result() : null;
        if (result == null) {
            metrics.rejected(code);
        }
        String relative = settle(exchange, FAILED, ERROR_SUFFIX, code, reason,
                result != null ? result.outcomes() : List.of());
        LOG.warnf("Photo %s failed: %s %s", relative, code, reason);
    }

    /**
     * Writes the record first, then moves the photo beside it, then lets the journal forget it: a crash in between
     * leaves the photo in the inbox with its record already written, and the next settle reuses that record's name.
     */
    private String settle(Exchange exchange, String folder, String recordSuffix, ErrorCode code, String reason,
            List<Outcome> outcomes) throws IOException {
        Message message = exchange.getMessage();
        PhotoKey key = exchange.getProperty(DeliveryJournal.KEY, PhotoKey.class);
        String relative = message.getHeader(Exchange.FILE_NAME, String.class);
        Path photo = Path.of(message.getHeader(Exchange.FILE_PATH, String.class));
        Path destination = freeName(inbox.resolve(folder).resolve(relative), recordSuffix, key);
        Folders.ensure(destination.getParent());
        String settledAs = inbox.resolve(folder).relativize(destination).toString();
        DeliveryRecord record = new DeliveryRecord(settledAs, key == null ? null : key.sha256(),
                code == null ? "sent" : "failed", code, reason, outcomes, Instant.now());
        Path recordFile = recordOf(destination, recordSuffix);
        Path temp = recordFile.resolveSibling("." + recordFile.getFileName() + ".tmp");
        records.writeValue(temp.toFile(), record);
        Files.move(temp, recordFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(photo, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(photo, destination);
            taken.movedAway(exchange);
        } else {
            // someone removed it meanwhile: its record still says what happened
            LOG.warnf("Photo %s is no longer in the inbox; writing its record only", relative);
        }
        Path sidecar = InboxFiles.sidecarOf(photo);
        if (Files.exists(sidecar)) {
            Files.move(sidecar, InboxFiles.sidecarOf(destination));
        }
        if (key != null) {
            journal.forget(key);
        }
        return relative;
    }

    /**
     * {@code cat.jpg}, else {@code cat-1.jpg}, {@code cat-2.jpg}...: the first name neither a photo nor a record uses,
     * except a record this same photo left without moving beside it (a crash mid-settle), which is reused.
     */
    private Path freeName(Path wanted, String recordSuffix, PhotoKey key) {
        String name = wanted.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        Path candidate = wanted;
        for (int n = 1; taken(candidate, recordSuffix, key); n++) {
            candidate = wanted.resolveSibling(stem + "-" + n + extension);
        }
        return candidate;
    }

    private boolean taken(Path candidate, String recordSuffix, PhotoKey key) {
        // links followed: a free name is the usual answer, and asking without following throws for it. A dangling
        // link (no relay puts one there) passes as free, and the move onto it then fails rather than replace it.
        if (Files.exists(candidate)) {
            return true;
        }
        Path record = recordOf(candidate, recordSuffix);
        if (!Files.exists(record)) {
            return false;
        }
        try {
            return key == null || !key.sha256().equals(json.readValue(record.toFile(), DeliveryRecord.class).sha256());
        } catch (IOException unreadable) {
            return true;
        }
    }

    private static Path recordOf(Path photo, String recordSuffix) {
        return photo.resolveSibling(photo.getFileName() + recordSuffix);
    }
}
