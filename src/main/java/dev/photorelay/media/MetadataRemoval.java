package dev.photorelay.media;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.commons.imaging.bytesource.ByteSource;
import org.apache.commons.imaging.formats.jpeg.JpegImageParser;
import org.apache.commons.imaging.formats.jpeg.exif.ExifRewriter;
import org.apache.commons.imaging.formats.tiff.TiffField;
import org.apache.commons.imaging.formats.tiff.TiffImageMetadata;
import org.apache.commons.imaging.formats.tiff.constants.ExifTagConstants;
import org.apache.commons.imaging.formats.tiff.constants.TiffDirectoryConstants;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputDirectory;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputSet;

import dev.photorelay.RelayConfig.StripMetadata;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;

/**
 * Removes metadata from a JPEG without touching its image data. The JPEG is copied segment by segment (ITU T.81
 * B.1.1: its marker segments, wherever they are, before the first scan or between the scans of a progressive JPEG;
 * the entropy-coded data as it is), leaving out or rewriting only the segments that hold metadata; the EXIF block is
 * rewritten by Apache Commons Imaging. Other formats are left as they are (PNG and WebP rarely carry a location, and
 * GIF cannot).
 * <ul>
 * <li>{@code location}: EXIF's GPS directory goes (the EXIF block is written anew, so no stale GPS bytes stay in it);
 * so does every XMP segment (standard or extended) and every Photoshop block (APP13) that names a GPS position in any
 * spelling or holds EXIF or XMP of its own.</li>
 * <li>{@code all}: EXIF, XMP and Photoshop's IPTC go; the orientation is written back, so that the photo still shows
 * the right way up.</li>
 * <li>Either way, whatever follows the image's end (a second image as in MPO files, a motion photo's video, a depth
 * map) goes too: it is not the photo, and it can carry its own location.</li>
 * </ul>
 * A JPEG with no APP1 or APP13 segment before its first scan (most photos not straight from a camera or phone) is not
 * read further.
 */
public final class MetadataRemoval {

    /** EXIF's orientation when it has none: as stored. */
    public static final int AS_STORED = 1;
    /** Enough for the markers and lengths of most JPEGs' header segments in one read. */
    private static final int SEGMENT_BUFFER_BYTES = 2048;
    private static final int APP1 = 0xE1;
    private static final int APP13 = 0xED;
    private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] PHOTOSHOP = "Photoshop 3.0\0".getBytes(StandardCharsets.ISO_8859_1);

    private MetadataRemoval() {
    }

    /**
     * Writes the photo without the metadata the policy removes, if it has any.
     *
     * @param  photo                  the photo as taken
     * @param  policy                 what to remove
     * @param  out                    where the photo without it is written (deleted again if it had none)
     * @return                        true if {@code out} holds the photo without it; false if there was nothing to
     *                                remove (not a JPEG, or no such metadata): send the photo as it is
     * @throws PhotoDeliveryException {@code UNSUPPORTED_MEDIA}: its metadata or structure cannot be read, so what it
     *                                holds cannot be removed safely
     * @throws IOException            {@code out} cannot be written
     */
    public static boolean strip(Photo.Content photo, StripMetadata policy, Path out)
            throws PhotoDeliveryException, IOException {
        if (!mayHold(photo, policy)) {
            return false;
        }
        boolean changed;
        try (InputStream in = new BufferedInputStream(photo.open(), 64 * 1024);
                OutputStream written = new BufferedOutputStream(Files.newOutputStream(out), 64 * 1024)) {
            changed = new Filter(in, written, policy).copy();
        } catch (EOFException | ImagingFailure broken) {
            Files.deleteIfExists(out);
            throw unreadable(policy);
        }
        if (!changed) {
            Files.deleteIfExists(out);
        }
        return changed;
    }

    /**
     * The EXIF orientation of a JPEG (1 to 8, as TIFF 6.0 numbers them), or {@link #AS_STORED} when it has none, it
     * cannot be read, or the photo is not a JPEG.
     */
    public static int orientation(Photo.Content photo) {
        if (photo.type() != MediaType.JPEG) {
            return AS_STORED;
        }
        try {
            ByteSource source = photo.file() != null ? ByteSource.path(photo.file()) : ByteSource.array(photo.bytes());
            TiffImageMetadata exif = new JpegImageParser().getExifMetadata(source, null);
            TiffField field = exif == null ? null : exif.findField(TiffTagConstants.TIFF_TAG_ORIENTATION);
            int value = field == null ? AS_STORED : field.getIntValue();
            return value >= 1 && value <= 8 ? value : AS_STORED;
        } catch (IOException | RuntimeException unreadable) {
            // Commons Imaging reports a broken EXIF block as a plain IOException too
            return AS_STORED;
        }
    }

    /**
     * Whether the photo may hold metadata the policy removes: a JPEG with an APP1 or APP13 segment before its first
     * scan. Reads only the segments' markers and lengths; what says no needs no copy.
     */
    public static boolean mayHold(Photo.Content photo, StripMetadata policy) throws PhotoDeliveryException, IOException {
        if (policy == StripMetadata.NONE || photo.type() != MediaType.JPEG) {
            return false;
        }
        try (InputStream in = new BufferedInputStream(photo.open(), SEGMENT_BUFFER_BYTES)) {
            return ImageHeader.hasMetadataSegments(in);
        } catch (EOFException truncated) {
            return false; // no metadata before the end; the photo is refused elsewhere if it is incomplete
        }
    }

    private static PhotoDeliveryException unreadable(StripMetadata policy) {
        return new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA, "its metadata could not be read, so it could "
                + "not be removed (relay.media.strip-metadata=" + policy.name().toLowerCase() + ")");
    }

    /** Commons Imaging could not read or rewrite an EXIF block. */
    private static final class ImagingFailure extends IOException {
        ImagingFailure(Throwable cause) {
            super(cause);
        }
    }

    /** One pass over a JPEG, from its first byte to its last. */
    private static final class Filter {
        private final InputStream in;
        private final OutputStream out;
        private final StripMetadata policy;
        private boolean changed;

        Filter(InputStream in, OutputStream out, StripMetadata policy) {
            this.in = in;
            this.out = out;
            this.policy = policy;
        }

        /** Copies the JPEG; whether anything was left out or rewritten. */
        boolean copy() throws IOException {
            out.write(next());
            out.write(next()); // SOI
            int marker = nextMarker();
            while (true) {
                if (marker == 0xD9) { // EOI: what follows is not the photo
                    out.write(0xFF);
                    out.write(0xD9);
                    changed |= in.read() >= 0;
                    return changed;
                }
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
                    out.write(0xFF);
                    out.write(marker);
                    marker = nextMarker();
                    continue;
                }
                int length = (next() << 8) | next();
                if (length < 2) {
                    throw new EOFException("corrupt segment length");
                }
                byte[] payload = in.readNBytes(length - 2);
                if (payload.length < length - 2) {
                    throw new EOFException();
                }
                byte[] kept = marker == APP1 || marker == APP13 ? keep(marker, payload) : payload;
                if (kept != payload) {
                    changed = true;
                }
                if (kept != null) {
                    writeSegment(marker, kept);
                }
                marker = marker == 0xDA ? copyScan() : nextMarker();
            }
        }

        /** The segment as it stays: itself, rewritten, or null to leave it out. */
        private byte[] keep(int marker, byte[] payload) throws IOException {
            boolean exif = startsWith(payload, EXIF);
            if (marker == APP1 && exif) {
                return policy == StripMetadata.ALL ? onlyOrientation(payload) : withoutGps(payload);
            }
            if (policy == StripMetadata.ALL) {
                return null; // XMP, extended XMP, Photoshop's IPTC
            }
            if (marker == APP13 && startsWith(payload, PHOTOSHOP)) {
                return namesGps(payload) || holdsExifOrXmp(payload) ? null : payload;
            }
            return namesGps(payload) ? null : payload;
        }

        /** Copies a scan's entropy-coded data; returns the marker after it. */
        private int copyScan() throws IOException {
            while (true) {
                int b = next();
                if (b != 0xFF) {
                    out.write(b);
                    continue;
                }
                int n = next();
                while (n == 0xFF) {
                    n = next();
                }
                if (n == 0x00 || (n >= 0xD0 && n <= 0xD7)) { // a stuffed 0xFF, or a restart marker
                    out.write(0xFF);
                    out.write(n);
                    continue;
                }
                return n;
            }
        }

        private int nextMarker() throws IOException {
            if (next() != 0xFF) {
                throw new EOFException("not a marker");
            }
            int marker = next();
            while (marker == 0xFF) {
                marker = next();
            }
            return marker;
        }

        private int next() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            return b;
        }

        private void writeSegment(int marker, byte[] payload) throws IOException {
            out.write(0xFF);
            out.write(marker);
            out.write((payload.length + 2) >> 8);
            out.write((payload.length + 2) & 0xFF);
            out.write(payload);
        }
    }

    /** The EXIF block without its GPS directory; itself if it has none. */
    private static byte[] withoutGps(byte[] payload) throws IOException {
        try {
            byte[] alone = alone(payload);
            TiffImageMetadata exif = new JpegImageParser().getExifMetadata(ByteSource.array(alone), null);
            if (exif == null || exif.findDirectory(TiffDirectoryConstants.DIRECTORY_TYPE_GPS) == null) {
                return payload;
            }
            TiffOutputSet kept = new TiffOutputSet(exif.contents.header.byteOrder);
            for (TiffOutputDirectory directory : exif.getOutputSet()) {
                if (directory.getType() != TiffDirectoryConstants.DIRECTORY_TYPE_GPS) {
                    directory.removeField(ExifTagConstants.EXIF_TAG_GPSINFO);
                    kept.addDirectory(directory);
                }
            }
            // lossy: the EXIF block is written anew, where a lossless update would leave the old GPS bytes in place
            ByteArrayOutputStream rewritten = new ByteArrayOutputStream(alone.length);
            new ExifRewriter().updateExifMetadataLossy(alone, rewritten, kept);
            return app1Of(rewritten.toByteArray());
        } catch (IOException | RuntimeException broken) {
            throw new ImagingFailure(broken);
        }
    }

    /** A minimal EXIF block with the orientation only, or null if the photo shows as stored. */
    private static byte[] onlyOrientation(byte[] payload) throws IOException {
        try {
            byte[] alone = alone(payload);
            TiffImageMetadata exif = new JpegImageParser().getExifMetadata(ByteSource.array(alone), null);
            TiffField orientation = exif == null ? null : exif.findField(TiffTagConstants.TIFF_TAG_ORIENTATION);
            if (orientation == null || orientation.getIntValue() == AS_STORED) {
                return null;
            }
            TiffOutputSet only = new TiffOutputSet(exif.contents.header.byteOrder);
            only.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_ORIENTATION, (short) orientation.getIntValue());
            ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
            new ExifRewriter().updateExifMetadataLossy(alone, rewritten, only);
            return app1Of(rewritten.toByteArray());
        } catch (IOException | RuntimeException broken) {
            throw new ImagingFailure(broken);
        }
    }

    /** The EXIF block as the only segment of an otherwise empty JPEG: what Commons Imaging reads and rewrites. */
    private static byte[] alone(byte[] payload) {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream(payload.length + 8);
        jpeg.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) APP1,
                (byte) ((payload.length + 2) >> 8), (byte) ((payload.length + 2) & 0xFF) });
        jpeg.writeBytes(payload);
        jpeg.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xD9 });
        return jpeg.toByteArray();
    }

    /** The payload of the EXIF segment of a JPEG Commons Imaging wrote. */
    private static byte[] app1Of(byte[] jpeg) throws IOException {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
            int marker = jpeg[i + 1] & 0xFF;
            int length = (jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF);
            byte[] payload = Arrays.copyOfRange(jpeg, i + 4, i + 2 + length);
            if (marker == APP1 && startsWith(payload, EXIF)) {
                return payload;
            }
            i += 2 + length;
        }
        throw new IOException("the rewritten EXIF block was not found");
    }

    /** Whether the bytes name a GPS position: "gps" in any case, in one-byte or two-byte (UTF-16) text. */
    static boolean namesGps(byte[] data) {
        int matched = 0;
        for (byte b : data) {
            if (b == 0) {
                continue;
            }
            int c = Character.toLowerCase(b & 0xFF);
            matched = c == "gps".charAt(matched) ? matched + 1 : (c == 'g' ? 1 : 0);
            if (matched == 3) {
                return true;
            }
        }
        return false;
    }

    /** Whether a Photoshop block holds image resources 0x0422 (EXIF) or 0x0424 (XMP): Photoshop File Formats, IRB. */
    private static boolean holdsExifOrXmp(byte[] payload) {
        int i = PHOTOSHOP.length;
        while (i + 12 <= payload.length && payload[i] == '8' && payload[i + 1] == 'B' && payload[i + 2] == 'I'
                && payload[i + 3] == 'M') {
            int id = (payload[i + 4] & 0xFF) << 8 | (payload[i + 5] & 0xFF);
            if (id == 0x0422 || id == 0x0424) {
                return true;
            }
            int nameLength = payload[i + 6] & 0xFF;
            int at = i + 6 + ((nameLength + 2) & ~1); // a Pascal string, padded to an even length
            if (at + 4 > payload.length) {
                return true; // cannot be read to its end: treated as holding them
            }
            long size = (payload[at] & 0xFFL) << 24 | (payload[at + 1] & 0xFF) << 16 | (payload[at + 2] & 0xFF) << 8
                    | (payload[at + 3] & 0xFF);
            i = (int) Math.min(Integer.MAX_VALUE, at + 4 + size + (size & 1));
        }
        return false;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
