package dev.photorelay.media;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether an image file is all there, from its own structure rather than from its name or time: a JPEG's end-of-image
 * marker after its image data (ITU T.81 B.2), a PNG's {@code IEND} chunk (RFC 2083 §4.1.4), a GIF's trailer byte
 * (GIF89a §27), a WebP's RIFF chunks filling the size its header gives (RFC 9649 §2.4). A file still being written,
 * or set to its full size first and filled later, lacks that end; so does one cut short for good.
 * <p>
 * Nothing is decoded. A PNG's and a WebP's chunks are skipped over, a JPEG's segments too, up to its image data; only
 * a JPEG that does not end with its end marker (data appended after it, as motion photos do) and a GIF are read
 * through.
 */
public final class ImageEnd {

    /** What a look at a file's bytes found. */
    public enum State {
        /** An image whose own end is there. */
        COMPLETE,
        /** Empty, or an image (or the start of one) whose end is not there (yet). */
        INCOMPLETE,
        /** Not one of the accepted formats, whatever follows: nothing to wait for. */
        NOT_AN_IMAGE
    }

    private static final int BUFFER_BYTES = 16 * 1024;

    private ImageEnd() {
    }

    /**
     * Looks at the file's bytes.
     *
     * @param  file        a regular file (the caller makes sure: opening a FIFO would block)
     * @return             what was found
     * @throws IOException the file cannot be read
     */
    public static State of(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            Bytes in = new Bytes(channel);
            byte[] head = in.peek(MediaType.SIGNATURE_LENGTH);
            MediaType type = MediaType.sniff(head, head.length).orElse(null);
            if (type == null) {
                // zeros: a copy that set the full size first and has not written the start yet
                return head.length < MediaType.SIGNATURE_LENGTH && MediaType.couldStart(head) || allZeros(head)
                        ? State.INCOMPLETE : State.NOT_AN_IMAGE;
            }
            try {
                boolean complete = switch (type) {
                    case JPEG -> jpeg(in, channel, size);
                    case PNG -> png(in);
                    case GIF -> gif(in);
                    case WEBP -> webp(in, size);
                };
                return complete ? State.COMPLETE : State.INCOMPLETE;
            } catch (EOFException cutShort) {
                return State.INCOMPLETE;
            }
        }
    }

    /**
     * Segments are skipped up to the first scan; a file that ends with the end marker is then complete. Else the
     * compressed data is scanned for the marker, as a decoder would: a 0xFF in it is followed by 0x00 (a stuffed byte)
     * or a restart marker, anything else is the next marker. Stray bytes between segments are passed over, as
     * libjpeg does, so zeros written ahead of the data never pass for an end.
     */
    private static boolean jpeg(Bytes in, FileChannel channel, long size) throws IOException {
        in.skip(2); // SOI
        boolean scanned = false;
        while (true) {
            int marker = in.nextMarker();
            if (marker == 0xD9) {
                return scanned;
            }
            if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length
            }
            int length = in.uint16();
            if (length < 2) {
                continue; // not a segment: look for the next marker
            }
            in.skip(length - 2L);
            if (marker == 0xDA) {
                if (!scanned && endsWithEndMarker(channel, size)) {
                    return true;
                }
                scanned = true;
                in.skipCompressedData();
            }
        }
    }

    private static boolean endsWithEndMarker(FileChannel channel, long size) throws IOException {
        if (size < 4) {
            return false;
        }
        ByteBuffer tail = ByteBuffer.allocate(2);
        while (tail.hasRemaining() && channel.read(tail, size - 2 + tail.position()) > 0) {
            // read both bytes
        }
        return tail.get(0) == (byte) 0xFF && tail.get(1) == (byte) 0xD9;
    }

    /** Chunks (length, type, data, CRC) up to {@code IEND}; a type that is not four letters is not written yet. */
    private static boolean png(Bytes in) throws IOException {
        in.skip(8);
        while (true) {
            long length = in.uint32();
            int type = in.int32();
            if (!isFourLetters(type, false) || length > Integer.MAX_VALUE) {
                return false;
            }
            in.skip(length + 4); // data and CRC
            if (type == ('I' << 24 | 'E' << 16 | 'N' << 8 | 'D')) {
                return true;
            }
        }
    }

    /** Header, colour table, then blocks (extensions and images, each a chain of sub-blocks) up to the trailer. */
    private static boolean gif(Bytes in) throws IOException {
        in.skip(10);
        int flags = in.next();
        in.skip(2);
        skipColourTable(in, flags);
        while (true) {
            switch (in.next()) {
                case 0x3B -> {
                    return true;
                }
                case 0x21 -> {
                    in.skip(1); // label
                    skipSubBlocks(in);
                }
                case 0x2C -> {
                    in.skip(8);
                    skipColourTable(in, in.next());
                    in.skip(1); // LZW minimum code size
                    skipSubBlocks(in);
                }
                default -> {
                    return false;
                }
            }
        }
    }

    private static void skipColourTable(Bytes in, int flags) throws IOException {
        if ((flags & 0x80) != 0) {
            in.skip(3L << ((flags & 0x07) + 1));
        }
    }

    private static void skipSubBlocks(Bytes in) throws IOException {
        for (int length = in.next(); length != 0; length = in.next()) {
            in.skip(length);
        }
    }

    /** The RIFF size covers the file, and its chunks (each padded to an even length) fill it exactly. */
    private static boolean webp(Bytes in, long size) throws IOException {
        in.skip(4);
        long end = 8 + in.uint32le();
        in.skip(4); // WEBP
        if (size < end) {
            return false;
        }
        long at = 12;
        while (at < end) {
            int type = in.int32();
            long length = in.uint32le();
            if (!isFourLetters(type, true)) {
                return false;
            }
            long padded = length + (length & 1);
            in.skip(padded);
            at += 8 + padded;
        }
        return at == end;
    }

    private static boolean allZeros(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** PNG chunk types are four ASCII letters; WebP's (VP8, VP8L, ALPH, ...) also digits and a space. */
    private static boolean isFourLetters(int type, boolean digitsAndSpace) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (type >> shift) & 0xFF;
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (!letter && !(digitsAndSpace && ((c >= '0' && c <= '9') || c == ' '))) {
                return false;
            }
        }
        return true;
    }

    /** A forward-only view of a file through one buffer; skipping past the buffer moves the file position. */
    private static final class Bytes {
        private final FileChannel channel;
        // little-endian: nextFF reads the lowest address into the lowest byte of a long
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN).limit(0);

        Bytes(FileChannel channel) {
            this.channel = channel;
        }

        /** Up to {@code count} leading bytes, without consuming them. */
        byte[] peek(int count) throws IOException {
            while (buffer.remaining() < count && refillKeeping()) {
                // read until enough or the end
            }
            byte[] head = new byte[Math.min(count, buffer.remaining())];
            buffer.duplicate().get(head);
            return head;
        }

        int next() throws IOException {
            if (!buffer.hasRemaining() && !fill()) {
                throw new EOFException();
            }
            return buffer.get() & 0xFF;
        }

        int uint16() throws IOException {
            return next() << 8 | next();
        }

        int int32() throws IOException {
            return next() << 24 | next() << 16 | next() << 8 | next();
        }

        long uint32() throws IOException {
            return int32() & 0xFFFFFFFFL;
        }

        long uint32le() throws IOException {
            return (next() | next() << 8 | next() << 16 | (long) next() << 24) & 0xFFFFFFFFL;
        }

        void skip(long count) throws IOException {
            long inBuffer = Math.min(count, buffer.remaining());
            buffer.position(buffer.position() + (int) inBuffer);
            long beyond = count - inBuffer;
            if (beyond > 0) {
                long position = channel.position() + beyond;
                if (position > channel.size()) {
                    throw new EOFException();
                }
                channel.position(position);
            }
        }

        /** The next marker's code: the byte after a run of 0xFF, skipping anything before it. */
        int nextMarker() throws IOException {
            while (next() != 0xFF) {
                // stray bytes between segments
            }
            int code = next();
            while (code == 0xFF) {
                code = next(); // fill bytes
            }
            return code == 0 ? nextMarker() : code;
        }

        /** Moves past compressed data, to just before the 0xFF of the marker that ends it. */
        void skipCompressedData() throws IOException {
            while (true) {
                if (!buffer.hasRemaining() && !fill()) {
                    throw new EOFException();
                }
                int limit = buffer.limit();
                for (int i = nextFF(buffer, buffer.position(), limit); i >= 0; i = nextFF(buffer, i + 1, limit)) {
                    buffer.position(i);
                    if (i + 1 == limit) {
                        refillKeeping();
                        if (buffer.remaining() < 2) {
                            throw new EOFException();
                        }
                        i = buffer.position();
                        limit = buffer.limit();
                    }
                    int code = buffer.get(i + 1) & 0xFF;
                    if (code != 0x00 && (code < 0xD0 || code > 0xD7) && code != 0xFF) {
                        return;
                    }
                }
                buffer.position(limit);
            }
        }

        /**
         * The index of the first 0xFF in {@code buffer[from, to)}, or -1. Eight bytes at a time: inverted, a 0xFF is a
         * zero byte, and {@code (w - 0x01..01) & ~w & 0x80..80} flags zero bytes, the lowest flag being the first
         * (a borrow only flags bytes above a zero one). A whole photo's compressed data is scanned this way when it
         * does not end with its end marker, so this is most of the inbox's CPU for such photos.
         */
        private static int nextFF(ByteBuffer buffer, int from, int to) {
            int i = from;
            for (; i + Long.BYTES <= to; i += Long.BYTES) {
                long inverted = ~buffer.getLong(i);
                long zeros = (inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L;
                if (zeros != 0) {
                    return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
                }
            }
            for (; i < to; i++) {
                if (buffer.get(i) == (byte) 0xFF) {
                    return i;
                }
            }
            return -1;
        }

        /** Reads more after what the buffer holds; false at the end of the file. */
        private boolean refillKeeping() throws IOException {
            buffer.compact();
            int read = channel.read(buffer);
            buffer.flip();
            return read > 0;
        }

        private boolean fill() throws IOException {
            buffer.clear();
            int read = channel.read(buffer);
            buffer.flip();
            return read > 0;
        }
    }
}
