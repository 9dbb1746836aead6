package dev.photorelay.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.HostFault;
import dev.photorelay.RelayConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Which recipients an inbox photo has already reached, kept on disk ({@code <inbox>/.journal}) so that neither a
 * crash nor a retry sends it to them again. A delivery is written, and forced to disk, as soon as the platform
 * confirms it, before the photo moves on; when the photo is settled in {@code .sent/} or {@code .failed/} its entries
 * are dropped. Lines are only ever added (one JSON object per line, into zeros written ahead of them; a line torn by
 * a crash is skipped), and the file is rewritten with only the live entries at start and when it has grown.
 */
@Singleton
@Named("deliveryJournal")
@RegisterForReflection
public class DeliveryJournal {

    /** Exchange property with the {@link PhotoKey} of an inbox photo; photos without one are not journaled. */
    public static final String KEY = "photoKey";
    static final String FILE_NAME = ".journal";
    private static final Logger LOG = Logger.getLogger(DeliveryJournal.class);
    private static final int REWRITE_AFTER_LINES = 10_000;
    /**
     * The file is written full size (zeros after the last line) and lines overwrite the zeros: forcing a line to
     * disk then writes that block only. Appending would grow the file, and forcing a new size commits the file
     * system's journal, which flushes every other file the relay wrote meanwhile (records, moved photos): that
     * made each delivery cost about 2 ms of CPU more in the benchmark.
     */
    private static final int PREALLOCATED_BYTES = 8 * 1024 * 1024;

    private final Path inbox;
    private final Path file;
    private final ObjectMapper json;
    private final Map<PhotoKey, Map<String, Outcome>> delivered = new ConcurrentHashMap<>();
    /** Guards the channel and what was written to it. */
    private final Object writing = new Object();
    /** One force at a time; taken before {@link #writing} where both are needed. */
    private final Object forcing = new Object();
    private FileChannel out;
    /** Where the next line goes: the end of the lines, before the zeros. */
    private long position;
    private long capacity;
    private int lines;
    private long appended;
    private long forced;
    /** Lines after which the journal is compacted (later again if the disk had no room for it). */
    private int compactAgainAfter = REWRITE_AFTER_LINES;

    public DeliveryJournal(RelayConfig config, ObjectMapper json) throws IOException {
        this.inbox = Path.of(config.inbox().dir());
        this.file = inbox.resolve(FILE_NAME);
        this.json = json;
        replay();
        // a photo no longer in the inbox was settled (or removed) before the last stop: nothing left to guard
        delivered.keySet().removeIf(key -> !Files.exists(inbox.resolve(key.photo()), LinkOption.NOFOLLOW_LINKS));
        rewrite();
        if (!delivered.isEmpty()) {
            LOG.infof("Journal: %d photo(s) in the inbox were already delivered to some recipients; they will not "
                    + "be sent to those again", delivered.size());
        }
    }

    /**
     * Step before the first attempt: a recipient this photo already reached gets that outcome, and no call; an album
     * that reached it only in part goes on after the photos it got.
     */
    public void recall(Exchange exchange) {
        PhotoKey key = exchange.getProperty(KEY, PhotoKey.class);
        if (key == null) {
            return;
        }
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        Outcome earlier = delivered.getOrDefault(key, Map.of()).get(recipient.toString());
        if (earlier == null) {
            return;
        }
        AlbumDelivery album = AlbumDelivery.of(exchange);
        if (earlier.photos() != null && earlier.photos().size() < album.size() && album.resumeAfter(earlier.photos())) {
            LOG.infof("Journal: %d of %d photos of this album already reached %s; sending the rest",
                    earlier.photos().size(), album.size(), recipient);
            return;
        }
        exchange.getMessage().setBody(earlier.asAlreadySent());
    }

    /**
     * Step after each attempt: a new delivery is on disk before anything else happens to the photo; so is each call
     * of an album that went through, so that after a crash only the calls not made are made.
     */
    public void remember(Exchange exchange) throws IOException {
        PhotoKey key = exchange.getProperty(KEY, PhotoKey.class);
        if (key == null) {
            return;
        }
        Outcome outcome = exchange.getMessage().getBody() instanceof Outcome settled
                ? (settled.delivered() && settled.alreadySent() == null ? settled : null)
                : AlbumDelivery.of(exchange).unjournaled();
        if (outcome != null) {
            HostFault.writing(file.getParent(), () -> {
                remember(key, outcome);
                return null;
            });
        }
    }

    /** Returns once the delivery is forced to disk. */
    public void remember(PhotoKey key, Outcome outcome) throws IOException {
        note(key, outcome);
        forceUpTo(append(new Line(key.photo(), key.sha256(), outcome, null)));
    }

    /**
     * The photo is settled: its deliveries need no more guarding. Not forced to disk: should the line be lost in a
     * crash, the next start drops the entries anyway, the photo being no longer in the inbox.
     */
    public void forget(PhotoKey key) throws IOException {
        // every entry of the photo's place: an album changed while it was sent (a photo added before a crash) was
        // journaled under its content as it was then, and must not stand for a later drop of the same name
        for (PhotoKey earlier : List.copyOf(delivered.keySet())) {
            if (earlier.photo().equals(key.photo()) && delivered.remove(earlier) != null) {
                append(new Line(earlier.photo(), earlier.sha256(), null, true));
            }
        }
    }

    /** Writes the journal afresh, e.g. after the inbox (and the journal with it) was deleted and recreated. */
    public void rewrite() throws IOException {
        synchronized (forcing) {
            synchronized (writing) {
                Files.createDirectories(inbox);
                Path temp = file.resolveSibling(FILE_NAME + ".tmp");
                StringBuilder live = new StringBuilder();
                for (Map.Entry<PhotoKey, Map<String, Outcome>> entry : delivered.entrySet()) {
                    for (Outcome outcome : entry.getValue().values()) {
                        live.append(line(new Line(entry.getKey().photo(), entry.getKey().sha256(), outcome, null)));
                    }
                }
                byte[] bytes = live.toString().getBytes(StandardCharsets.UTF_8);
                long size = Math.max(PREALLOCATED_BYTES, 2L * bytes.length);
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    channel.write(ByteBuffer.wrap(bytes));
                    ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
                    for (long at = bytes.length; at < size; at += zeros.capacity()) {
                        zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                        channel.write(zeros);
                    }
                    channel.force(true);
                } catch (IOException e) {
                    // on a full disk the half-made journal would hold the last free space: the old one stays
                    Files.deleteIfExists(temp);
                    throw new HostFault(inbox, e);
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                compactAgainAfter = REWRITE_AFTER_LINES;
                close();
                out = FileChannel.open(file, StandardOpenOption.WRITE);
                position = bytes.length;
                capacity = size;
                lines = 0;
                forced = appended;
            }
        }
    }

    @PreDestroy
    void close() throws IOException {
        synchronized (writing) {
            if (out != null) {
                out.close();
                out = null;
            }
        }
    }

    /** Adds a line after the last one (not yet forced to disk) and returns its number. */
    private long append(Line entry) throws IOException {
        byte[] bytes = line(entry).getBytes(StandardCharsets.UTF_8);
        long number;
        synchronized (writing) {
            if (position + bytes.length <= capacity) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    position += out.write(buffer, position);
                }
                number = ++appended;
                if (++lines <= compactAgainAfter) {
                    return number;
                }
            } else {
                number = -1;
            }
        }
        if (number < 0) {
            // full: written afresh with the live entries, which already hold this line's news
            rewrite();
            synchronized (writing) {
                return appended;
            }
        }
        // grown long: written afresh with the live entries if the disk has room; if not, this one goes on as it is
        try {
            rewrite();
        } catch (HostFault noRoom) {
            LOG.debugf("The journal was not compacted: %s", noRoom.getMessage());
            synchronized (writing) {
                compactAgainAfter = lines + REWRITE_AFTER_LINES / 10;
            }
        }
        return number;
    }

    /**
     * Forces the journal to disk up to this line. Deliveries finishing together share one force: whoever forces,
     * forces every line written so far, and the others find theirs already done.
     */
    private void forceUpTo(long line) throws IOException {
        synchronized (forcing) {
            if (forced >= line) {
                return;
            }
            FileChannel channel;
            long upTo;
            synchronized (writing) {
                channel = out;
                upTo = appended;
            }
            channel.force(false);
            forced = upTo;
        }
    }

    private String line(Line entry) throws JsonProcessingException {
        return json.writeValueAsString(entry) + "\n";
    }

    private void replay() throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        byte[] content = Files.readAllBytes(file);
        int end = 0;
        while (end < content.length && content[end] != 0) {
            end++; // the lines stop where the zeros written ahead of them begin
        }
        for (String raw : new String(content, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (raw.isEmpty()) {
                continue;
            }
            Line entry;
            try {
                entry = json.readValue(raw, Line.class);
            } catch (JsonProcessingException torn) {
                LOG.debug("Journal: skipping an unreadable line (a write cut short by a crash)");
                continue;
            }
            PhotoKey key = new PhotoKey(entry.photo(), entry.sha256());
            if (entry.outcome() != null) {
                note(key, entry.outcome());
            } else if (Boolean.TRUE.equals(entry.settled())) {
                delivered.remove(key);
            }
        }
    }

    private void note(PhotoKey key, Outcome outcome) {
        delivered.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(outcome.target() + ":" + outcome.recipient(),
                outcome);
    }

    /** One line of the journal: a delivery, or the photo being settled. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(String photo, String sha256, Outcome outcome, Boolean settled) {
    }
}
