package dev.photorelay.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The relay's durable work, written by hand for the durable baseline ({@code -Dbaseline.durable=true}): each photo's
 * SHA-256; each delivery appended to a journal and forced to disk before the photo goes on (deliveries finishing
 * together share one force, and the journal is preallocated, as the relay's); a JSON record written beside the
 * photo in {@code .sent/} (to a temporary file, then renamed) before the photo is moved there; then a line that the
 * photo is settled, not forced. With the same work on both sides, what is left between them is the framework.
 */
final class BaselineDurability {

    /** Zeros written ahead of the lines, so that most appends do not grow the file (a force then syncs data only). */
    private static final long AHEAD_BYTES = 16L * 1024 * 1024;

    private final FileChannel journal;
    private final Object writing = new Object();
    private final Object forcing = new Object();
    private long position;
    private long capacity;
    private long appended;
    private long forced;

    BaselineDurability(Path inbox) throws IOException {
        Path file = inbox.resolve(".journal");
        journal = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        growTo(AHEAD_BYTES);
    }

    static String sha256(Path photo) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (FileChannel in = FileChannel.open(photo)) {
            while (in.read(buffer.clear()) > 0) {
                digest.update(buffer.flip());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Returns once the line saying that this recipient has the photo is on disk. */
    void delivered(String photo, String sha256, String target, String recipient) throws IOException {
        forceUpTo(append("{\"photo\":\"" + photo + "\",\"sha256\":\"" + sha256 + "\",\"target\":\"" + target
                + "\",\"recipient\":\"" + recipient + "\",\"delivered\":true}\n"));
    }

    /** The record beside {@code destination}, then the photo moved there, then the journal told. */
    void settle(Path photo, Path destination, String relative, String sha256, List<String[]> reached)
            throws IOException {
        StringBuilder record = new StringBuilder("{\n  \"photo\" : \"").append(relative)
                .append("\",\n  \"sha256\" : \"").append(sha256).append("\",\n  \"status\" : \"sent\",\n  \"recipients\" : [");
        for (int i = 0; i < reached.size(); i++) {
            record.append(i == 0 ? " " : ", ").append("{\n    \"target\" : \"").append(reached.get(i)[0])
                    .append("\",\n    \"recipient\" : \"").append(reached.get(i)[1])
                    .append("\",\n    \"delivered\" : true\n  }");
        }
        record.append(" ],\n  \"at\" : \"").append(Instant.now()).append("\"\n}");
        Path recordFile = destination.resolveSibling(destination.getFileName() + ".receipt.json");
        Path temp = recordFile.resolveSibling("." + recordFile.getFileName() + ".tmp");
        Files.writeString(temp, record);
        Files.move(temp, recordFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(photo, destination);
        append("{\"photo\":\"" + relative + "\",\"sha256\":\"" + sha256 + "\",\"settled\":true}\n");
    }

    private long append(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        synchronized (writing) {
            if (position + bytes.remaining() > capacity) {
                growTo(capacity + AHEAD_BYTES);
            }
            while (bytes.hasRemaining()) {
                position += journal.write(bytes, position);
            }
            return ++appended;
        }
    }

    private void growTo(long size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(1024 * 1024);
        for (long at = capacity; at < size; at += zeros.capacity()) {
            journal.write(zeros.clear(), at);
        }
        journal.force(true);
        capacity = size;
    }

    private void forceUpTo(long line) throws IOException {
        synchronized (forcing) {
            if (forced >= line) {
                return;
            }
            long upTo;
            synchronized (writing) {
                upTo = appended;
            }
            journal.force(false);
            forced = upTo;
        }
    }
}
