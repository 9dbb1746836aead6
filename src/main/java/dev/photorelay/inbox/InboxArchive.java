package dev.photorelay.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.photorelay.Folders;
import dev.photorelay.HostFault;
import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.DeliveryJournal;
import dev.photorelay.delivery.DeliveryResult;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoKey;
import dev.photorelay.media.FileState;
import dev.photorelay.telegram.TelegramOrigin;
import dev.photorelay.operations.DeliveryMetrics;
import dev.photorelay.operations.DiskWatch;
import dev.photorelay.platforms.ErrorClassifier;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Settles a photo once it was attempted: moves it (and its sidecar) from the inbox to {@code .sent/} or
 * {@code .failed/}, keeping its relative path and never overwriting an earlier file, and writes its record beside it.
 * A fault of the relay's own disk never files a photo as failed: while {@link DiskWatch} knows of one, or when the
 * filing itself cannot be written, the photo is put back in the inbox, to go on once the disk is fine (the journal
 * keeps recipients it reached from getting it twice).
 */
@Singleton
@Named("inboxArchive")
@RegisterForReflection
public class InboxArchive {

    static final String SENT = ".sent";
    static final String FAILED = ".failed";
    /** Exchange property once the photo is filed: its path in the inbox, as it was. */
    public static final String SETTLED = "photoSettled";
    /** Exchange property once the photo is filed in {@code .failed/}: its {@link ErrorCode}. */
    public static final String SETTLED_CODE = "photoSettledCode";
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
    private final InboxFiles files;
    private final Arrivals arrivals;
    private final DiskWatch disk;

    public InboxArchive(RelayConfig config, ObjectMapper json, ErrorClassifier errors, DeliveryJournal journal,
            TakenPhotos taken, DeliveryMetrics metrics, InboxFiles files, Arrivals arrivals, DiskWatch disk) {
        this.files = files;
        this.arrivals = arrivals;
        this.disk = disk;
        this.inbox = Path.of(config.inbox().dir());
        this.json = json;
        this.records = json.writerWithDefaultPrettyPrinter().with(new Printable.JsonEscapes());
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
        Path earlier = errorRecord(inbox, key.photo());
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
            boolean partly = outcome.photos() != null && !outcome.photos().isEmpty();
            if (outcome.delivered() || partly) {
                // an album that reached a recipient in part goes on after the photos it got
                journal.remember(key, outcome);
                reached.add(outcome.target() + ":" + outcome.recipient()
                        + (outcome.delivered() ? "" : " (" + outcome.photos().size() + " photos of the album)"));
            }
        }
        Files.delete(earlier);
        LOG.infof("Photo %s is back from %s/; already delivered to %s, sending to the rest", Printable.of(key.photo()), FAILED,
                reached.isEmpty() ? "none" : String.join(", ", reached));
    }

    public void sent(Exchange exchange) throws IOException {
        DeliveryResult result = exchange.getMessage().getBody(DeliveryResult.class);
        try {
            exchange.setProperty(SETTLED, settle(exchange, SENT, RECEIPT_SUFFIX, null, null, result.outcomes()));
        } catch (HostFault fault) {
            defer(exchange, fault);
        }
    }

    public void failed(Exchange exchange) throws IOException {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ErrorCode code = ErrorClassifier.classify(caught);
        PhotoDeliveryException failure = caught instanceof PhotoDeliveryException e ? e : null;
        DeliveryResult result = failure != null ? failure.result() : null;
        HostFault fault = ErrorClassifier.find(caught, HostFault.class);
        if (fault != null || (disk.faulty() && failedInside(code, result))) {
            defer(exchange, fault);
            return;
        }
        String reason = errors.reason(caught);
        if (result == null) {
            metrics.rejected(code);
        }
        String relative;
        try {
            relative = settle(exchange, FAILED, ERROR_SUFFIX, code, reason,
                    result != null ? result.outcomes() : List.of());
        } catch (HostFault cannotFile) {
            defer(exchange, cannotFile);
            return;
        }
        exchange.setProperty(SETTLED, relative);
        exchange.setProperty(SETTLED_CODE, code);
        LOG.warnf("Photo %s failed: %s %s", Printable.of(relative), code, Printable.of(reason));
    }

    /** Whether the photo, or one of its recipients, failed inside the relay rather than by the photo or a platform. */
    private static boolean failedInside(ErrorCode code, DeliveryResult result) {
        return code == ErrorCode.INTERNAL_ERROR || (result != null
                && result.outcomes().stream().anyMatch(outcome -> outcome.code() == ErrorCode.INTERNAL_ERROR));
    }

    /** Leaves the photo in the inbox, to be taken again once the disk is fine; said once, by {@link DiskWatch}. */
    private void defer(Exchange exchange, HostFault fault) {
        if (fault != null) {
            disk.report(fault);
        }
        arrivals.putBack(exchange);
        LOG.debugf("Photo %s waits in the inbox until the relay can write again", Printable.of(files.relativeName(exchange)));
    }

    /**
     * Writes the record first, then moves the photo beside it, then lets the journal forget it: a crash in between
     * leaves the photo in the inbox with its record already written, and the next settle reuses that record's name.
     */
    private String settle(Exchange exchange, String folder, String recordSuffix, ErrorCode code, String reason,
            List<Outcome> outcomes) throws IOException {
        return HostFault.writing(inbox.resolve(folder), () -> settleIn(exchange, folder, recordSuffix, code, reason,
                outcomes));
    }

    private String settleIn(Exchange exchange, String folder, String recordSuffix, ErrorCode code, String reason,
            List<Outcome> outcomes) throws IOException {
        Message message = exchange.getMessage();
        PhotoKey key = exchange.getProperty(DeliveryJournal.KEY, PhotoKey.class);
        Path photo = InboxFiles.photoOf(exchange);
        String relative = files.relativeName(exchange);
        String sha256 = key == null ? null : shaOfWhatIsFiled(exchange, photo, key);
        Path destination = freeName(inbox.resolve(folder).resolve(relative), recordSuffix, sha256);
        Folders.ensure(destination.getParent());
        String settledAs = inbox.resolve(folder).relativize(destination).toString();
        @SuppressWarnings("unchecked")
        List<String> photos = exchange.getProperty(InboxFiles.ALBUM_PHOTOS, List.class);
        TelegramOrigin origin = TelegramOrigin.of(inbox, relative, json).orElse(null);
        DeliveryRecord record = new DeliveryRecord(settledAs, sha256, code == null ? Outcome.SENT : Outcome.FAILED,
                code, reason, photos, outcomes, Instant.now(), origin == null ? null : "telegram", origin);
        Path recordFile = recordOf(destination, recordSuffix);
        // a short temporary name: the record's own may already be as long as a name can be
        Path temp = recordFile.resolveSibling(".record-" + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            records.writeValue(temp.toFile(), record);
            Files.move(temp, recordFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp); // a full disk leaves no empty temporary record behind
            throw e;
        }
        if (Files.exists(photo, LinkOption.NOFOLLOW_LINKS)) {
            moveInto(photo, destination, photos);
            taken.movedAway(exchange);
        } else {
            // someone removed it meanwhile: its record still says what happened
            LOG.warnf("Photo %s is no longer in the inbox; writing its record only", Printable.of(relative));
        }
        Path sidecar = InboxFiles.sidecarOf(photo);
        if (Files.exists(sidecar, LinkOption.NOFOLLOW_LINKS)) {
            // a numbered name (cat-1.jpg) can leave no room for ".json": the sidecar's name is then fitted too
            Path filedSidecar = destination.resolveSibling(InboxNames.fitted(destination.getFileName().toString(),
                    InboxFiles.SIDECAR_SUFFIX));
            Files.move(sidecar, filedSidecar);
        }
        if (key != null) {
            journal.forget(key);
        }
        return relative;
    }

    /**
     * Moves a photo, or an album's photos, to where it is filed. Photos added to an album's folder after it was read
     * were not sent, nor were files in a folder inside it: they stay in the inbox folder (photos to be taken as an
     * album of their own), and only the album's own photos (and the leftovers it holds) move.
     *
     * @param albumPhotos the album's photos as they were read; null for a single photo
     */
    private static void moveInto(Path photo, Path destination, List<String> albumPhotos) throws IOException {
        // only its own photos and the leftovers it holds (Thumbs.db): a folder inside it, a file still being written
        // under a temporary or hidden name (rsync's), a photo added since, all stay where they are
        List<Path> newcomers = albumPhotos == null ? List.of() : InboxFiles.listSorted(photo).stream()
                .filter(entry -> !albumPhotos.contains(entry.getFileName().toString())
                        && (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                                || InboxNames.kindOf(entry.getFileName().toString()) != InboxNames.Kind.LEFTOVER))
                .toList();
        if (albumPhotos == null) {
            Files.move(photo, destination);
            return;
        }
        // its files move, the folder stays: a producer may still be writing photos into it (a loop of downloads),
        // which then go as an album of their own; an emptied album folder is removed once it has been left alone
        // for relay.inbox.incomplete-after (see InboxGuard)
        Files.createDirectory(destination);
        for (Path entry : InboxFiles.listSorted(photo)) {
            if (!newcomers.contains(entry)) {
                Files.move(entry, destination.resolve(entry.getFileName()));
            }
        }
        if (!newcomers.isEmpty()) {
            LOG.warnf("%d file(s) or folder(s) in the album %s were not part of it; they stay there (photos added after "
                    + "it was taken go as an album of their own)", newcomers.size(),
                    Printable.of(photo.getFileName().toString()));
        }
    }

    /**
     * The SHA-256 of the photo as it is filed: the one taken when it was read, unless the file was changed since (it
     * was finished by every sign, and a tool wrote it again); then it is hashed anew, so that a record always names
     * the bytes beside it.
     */
    private String shaOfWhatIsFiled(Exchange exchange, Path photo, PhotoKey key) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, FileState> albumRead = exchange.getProperty(InboxFiles.ALBUM_READ_AS, Map.class);
        if (albumRead != null) {
            for (Map.Entry<String, FileState> read : albumRead.entrySet()) {
                Path file = photo.resolve(read.getKey());
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && !read.getValue().unchangedIn(FileState.of(file, LinkOption.NOFOLLOW_LINKS))) {
                    LOG.warnf("Photo %s of the album %s was changed after the relay read it; its record names the bytes "
                            + "the album now holds", Printable.of(read.getKey()), Printable.of(key.photo()));
                    return InboxFiles.albumSha256(albumRead.keySet().stream().map(photo::resolve).toList());
                }
            }
            return key.sha256();
        }
        FileState read = exchange.getProperty(InboxFiles.READ_AS, FileState.class);
        if (read == null || !Files.isRegularFile(photo, LinkOption.NOFOLLOW_LINKS)
                || read.unchangedIn(FileState.of(photo, LinkOption.NOFOLLOW_LINKS))) {
            return key.sha256();
        }
        LOG.warnf("Photo %s was changed after the relay read it; its record names the bytes it now holds",
                Printable.of(key.photo()));
        return InboxFiles.sha256(photo);
    }

    /**
     * {@code cat.jpg}, else {@code cat-1.jpg}, {@code cat-2.jpg}...: the first name neither a photo nor a record uses,
     * except a record this same photo left without moving beside it (a crash mid-settle), which is reused.
     */
    private Path freeName(Path wanted, String recordSuffix, String sha256) {
        String name = wanted.getFileName().toString();
        Path candidate = wanted;
        for (int n = 1; taken(candidate, recordSuffix, sha256); n++) {
            candidate = wanted.resolveSibling(InboxNames.withNumber(name, n));
        }
        return candidate;
    }

    private boolean taken(Path candidate, String recordSuffix, String sha256) {
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
            return sha256 == null || !sha256.equals(json.readValue(record.toFile(), DeliveryRecord.class).sha256());
        } catch (IOException unreadable) {
            return true;
        }
    }

    /**
     * The record beside a filed photo: {@code <name>.receipt.json} or {@code <name>.error.json}, shortened (see
     * {@link InboxNames#fitted}) where that would be longer than a file name may be; the record's {@code file} field
     * keeps the photo's full name.
     */
    private static Path recordOf(Path photo, String recordSuffix) {
        return photo.resolveSibling(InboxNames.fitted(photo.getFileName().toString(), recordSuffix));
    }

    /** The receipt of a photo filed in {@code .sent/} at {@code relative}, whether or not it is there. */
    public static Path receipt(Path inbox, String relative) {
        return recordOf(inbox.resolve(SENT).resolve(relative), RECEIPT_SUFFIX);
    }

    /** The error record of a photo filed in {@code .failed/} at {@code relative}, whether or not it is there. */
    public static Path errorRecord(Path inbox, String relative) {
        return recordOf(inbox.resolve(FAILED).resolve(relative), ERROR_SUFFIX);
    }
}
