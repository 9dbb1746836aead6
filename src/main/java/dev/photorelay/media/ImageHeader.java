package dev.photorelay.media;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;

/**
 * Reads format and dimensions from the first bytes of an image, without decoding it and without reading more
 * than the header (a JPEG's metadata segments are skipped, not buffered).
 */
public final class ImageHeader {

    private static final int HEAD_LENGTH = 32;

    private ImageHeader() {
    }

    public static ImageInfo read(InputStream in) throws IOException, PhotoDeliveryException {
        byte[] head = in.readNBytes(HEAD_LENGTH);
        if (head.length == 0) {
            throw unsupported("the file is empty");
        }
        MediaType type = MediaType.sniff(head, head.length)
                .orElseThrow(() -> unsupported("not a JPEG, PNG, GIF or WebP image"));
        try {
            int[] size = switch (type) {
                case JPEG -> jpegSize(head, in);
                case PNG -> new int[] { int32(head, 16), int32(head, 20) };
                case GIF -> new int[] { uint16le(head, 6), uint16le(head, 8) };
                case WEBP -> webpSize(head);
            };
            if (size[0] <= 0 || size[1] <= 0) {
                throw unsupported("the " + type + " header gives no image size");
            }
            return new ImageInfo(type, size[0], size[1]);
        } catch (ArrayIndexOutOfBoundsException | EOFException e) {
            throw unsupported("the " + type + " header is truncated");
        }
    }

    private static int[] jpegSize(byte[] head, InputStream rest) throws IOException, PhotoDeliveryException {
        Segments in = new Segments(head, rest);
        return walkJpeg(in, marker -> {
            if (!isStartOfFrame(marker)) {
                return null;
            }
            in.skip(1); // sample precision
            int height = (in.next() << 8) | in.next();
            int width = (in.next() << 8) | in.next();
            return new int[] { width, height };
        }, "the JPEG has no frame header before its image data");
    }

    /**
     * Whether a JPEG has a segment that can hold metadata (APP1: EXIF, XMP; APP13: Photoshop's IPTC) before its image
     * data. Reads only the segments' markers and lengths, so a photo without any is known to be clean at the cost of
     * a few reads.
     *
     * @param  in                     the JPEG from its first byte
     * @throws PhotoDeliveryException {@code UNSUPPORTED_MEDIA}: its segments are corrupt
     */
    public static boolean hasMetadataSegments(InputStream in) throws IOException, PhotoDeliveryException {
        Boolean found = walkJpeg(new Segments(new byte[0], in), marker -> marker == 0xE1 || marker == 0xED ? true : null,
                null);
        return found != null;
    }

    /**
     * A JPEG's start-of-frame marker (ITU T.81 B.1.1.3): {@code 0xC0} baseline, {@code 0xC2} progressive, ...
     *
     * @param  in                     the JPEG from its first byte
     * @throws PhotoDeliveryException {@code UNSUPPORTED_MEDIA}: no frame header before the image data
     */
    public static int jpegFrameMarker(InputStream in) throws IOException, PhotoDeliveryException {
        return walkJpeg(new Segments(new byte[0], in), marker -> isStartOfFrame(marker) ? marker : null,
                "the JPEG has no frame header before its image data");
    }

    /** Looks at one segment's marker; answers to end the walk, or null to go on (reading nothing then). */
    private interface SegmentVisitor<T> {
        T visit(int marker) throws IOException;
    }

    /**
     * Walks a JPEG's segments after its start-of-image (ITU T.81 B.1.1.2) until the visitor answers, or to the start
     * of the image data: there it fails with {@code atImageData}, or answers null if that is null.
     */
    private static <T> T walkJpeg(Segments in, SegmentVisitor<T> visitor, String atImageData)
            throws IOException, PhotoDeliveryException {
        in.skip(2); // SOI
        while (true) {
            if (in.next() != 0xFF) {
                throw unsupported("the JPEG header is corrupt");
            }
            int marker = in.next();
            while (marker == 0xFF) { // fill bytes
                marker = in.next();
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length
            }
            if (marker == 0xD9 || marker == 0xDA) {
                if (atImageData == null) {
                    return null;
                }
                throw unsupported(atImageData);
            }
            int length = (in.next() << 8) | in.next();
            T answer = visitor.visit(marker);
            if (answer != null) {
                return answer;
            }
            if (length < 2) {
                throw unsupported("the JPEG header is corrupt");
            }
            in.skip(length - 2);
        }
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static int[] webpSize(byte[] h) throws PhotoDeliveryException {
        String chunk = new String(Arrays.copyOfRange(h, 12, 16), StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8X" -> new int[] { 1 + uint24le(h, 24), 1 + uint24le(h, 27) };
            case "VP8L" -> {
                int bits = (h[21] & 0xFF) | (h[22] & 0xFF) << 8 | (h[23] & 0xFF) << 16 | (h[24] & 0xFF) << 24;
                yield new int[] { 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF) };
            }
            case "VP8 " -> new int[] { uint16le(h, 26) & 0x3FFF, uint16le(h, 28) & 0x3FFF };
            default -> throw unsupported("unknown WebP chunk");
        };
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static int uint16le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int uint24le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }

    private static PhotoDeliveryException unsupported(String why) {
        return new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA, why);
    }

    /** The bytes already read, then the rest of the stream: JPEG segments can sit far past the head. */
    private static final class Segments {
        private final byte[] head;
        private final InputStream rest;
        private int position;

        Segments(byte[] head, InputStream rest) {
            this.head = head;
            this.rest = rest;
        }

        int next() throws IOException {
            if (position < head.length) {
                return head[position++] & 0xFF;
            }
            int b = rest.read();
            if (b < 0) {
                throw new EOFException();
            }
            return b;
        }

        void skip(long count) throws IOException {
            long fromHead = Math.min(count, head.length - position);
            position += (int) fromHead;
            rest.skipNBytes(count - fromHead);
        }
    }
}
