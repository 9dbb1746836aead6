package dev.photorelay.media;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.commons.imaging.ImagingException;
import org.apache.commons.imaging.bytesource.ByteSource;
import org.apache.commons.imaging.formats.jpeg.JpegImageParser;
import org.apache.commons.imaging.formats.jpeg.exif.ExifRewriter;
import org.apache.commons.imaging.formats.jpeg.iptc.JpegIptcRewriter;
import org.apache.commons.imaging.formats.jpeg.xmp.JpegXmpRewriter;
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
 * Removes metadata from a JPEG without touching its image data: only the APP segments that hold EXIF, XMP and IPTC
 * are rewritten (Apache Commons Imaging), so the pixels stay byte for byte what they were. Other formats are left
 * as they are: PNG and WebP rarely carry a location, and GIF cannot.
 * <p>
 * {@code location} removes EXIF's GPS directory (rewriting the EXIF block whole, so no stale GPS bytes stay behind)
 * and an XMP packet that names a GPS position; {@code all} removes EXIF, XMP and IPTC but writes the orientation back,
 * so that the photo still shows the right way up.
 */
public final class MetadataRemoval {

    /** Enough for the markers and lengths of most JPEGs' header segments in one read. */
    private static final int SEGMENT_BUFFER_BYTES = 2048;

    /** EXIF's orientation when it has none: as stored. */
    public static final int AS_STORED = 1;

    private MetadataRemoval() {
    }

    /**
     * The photo without the metadata the policy removes, if it has any. Only the segments before the image data are
     * read to find out.
     *
     * @param  photo                  the photo as taken
     * @param  policy                 what to remove
     * @return                        the photo's bytes without it; null if there is nothing to remove (a photo that
     *                                is not a JPEG, or has no such metadata): send it as it is
     * @throws PhotoDeliveryException {@code UNSUPPORTED_MEDIA}: its metadata is unreadable, so what it holds cannot
     *                                be removed safely
     * @throws IOException            the photo cannot be read
     */
    public static byte[] stripped(Photo.Content photo, StripMetadata policy) throws PhotoDeliveryException, IOException {
        if (policy == StripMetadata.NONE || photo.type() != MediaType.JPEG) {
            return null;
        }
        try (InputStream in = new BufferedInputStream(photo.open(), SEGMENT_BUFFER_BYTES)) {
            if (!ImageHeader.hasMetadataSegments(in)) {
                return null; // most photos from tools other than cameras: nothing to parse
            }
        } catch (EOFException truncated) {
            return null; // no metadata before the end; the photo is refused elsewhere if it is incomplete
        }
        ByteSource source = source(photo);
        try {
            return policy == StripMetadata.ALL ? withoutAll(source) : withoutLocation(source);
        } catch (ImagingException unreadable) {
            throw new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA, "its metadata could not be read, so it "
                    + "could not be removed (relay.media.strip-metadata=" + policy.name().toLowerCase() + ")");
        }
    }

    /**
     * The EXIF orientation of a JPEG (1 to 8, as TIFF 6.0 numbers them), or {@link #AS_STORED} when it has none or
     * is not a JPEG.
     */
    public static int orientation(Photo.Content photo) throws IOException {
        if (photo.type() != MediaType.JPEG) {
            return AS_STORED;
        }
        try {
            TiffImageMetadata exif = new JpegImageParser().getExifMetadata(source(photo), null);
            TiffField field = exif == null ? null : exif.findField(TiffTagConstants.TIFF_TAG_ORIENTATION);
            int value = field == null ? AS_STORED : field.getIntValue();
            return value >= 1 && value <= 8 ? value : AS_STORED;
        } catch (ImagingException unreadable) {
            return AS_STORED;
        }
    }

    private static byte[] withoutLocation(ByteSource source) throws IOException {
        JpegImageParser parser = new JpegImageParser();
        TiffImageMetadata exif = parser.getExifMetadata(source, null);
        boolean exifGps = exif != null && exif.findDirectory(TiffDirectoryConstants.DIRECTORY_TYPE_GPS) != null;
        String xmp = parser.getXmpXml(source, null);
        boolean xmpGps = xmp != null && xmp.contains("GPS");
        if (!exifGps && !xmpGps) {
            return null;
        }
        byte[] photo = source.getByteArray(0, (int) source.size());
        if (exifGps) {
            TiffOutputSet kept = new TiffOutputSet(exif.contents.header.byteOrder);
            for (TiffOutputDirectory directory : exif.getOutputSet()) {
                if (directory.getType() != TiffDirectoryConstants.DIRECTORY_TYPE_GPS) {
                    directory.removeField(ExifTagConstants.EXIF_TAG_GPSINFO);
                    kept.addDirectory(directory);
                }
            }
            // lossy: the EXIF block is written anew, where a lossless update would leave the old GPS bytes in place
            photo = rewrite(photo, (in, out) -> new ExifRewriter().updateExifMetadataLossy(in, out, kept));
        }
        if (xmpGps) {
            photo = rewrite(photo, (in, out) -> new JpegXmpRewriter().removeXmpXml(in, out));
        }
        return photo;
    }

    private static byte[] withoutAll(ByteSource source) throws IOException {
        JpegImageParser parser = new JpegImageParser();
        TiffImageMetadata exif = parser.getExifMetadata(source, null);
        boolean xmp = parser.hasXmpSegment(source);
        boolean iptc = parser.getPhotoshopMetadata(source, null) != null;
        if (exif == null && !xmp && !iptc) {
            return null;
        }
        byte[] photo = source.getByteArray(0, (int) source.size());
        if (exif != null) {
            TiffField orientation = exif.findField(TiffTagConstants.TIFF_TAG_ORIENTATION);
            photo = rewrite(photo, (in, out) -> new ExifRewriter().removeExifMetadata(in, out));
            if (orientation != null && orientation.getIntValue() != AS_STORED) {
                TiffOutputSet only = new TiffOutputSet(exif.contents.header.byteOrder);
                only.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_ORIENTATION,
                        (short) orientation.getIntValue());
                photo = rewrite(photo, (in, out) -> new ExifRewriter().updateExifMetadataLossy(in, out, only));
            }
        }
        if (xmp) {
            photo = rewrite(photo, (in, out) -> new JpegXmpRewriter().removeXmpXml(in, out));
        }
        if (iptc) {
            // all Photoshop resources go, not only IPTC: they can hold a thumbnail and the photo's path
            photo = rewrite(photo, (in, out) -> new JpegIptcRewriter().removeIptc(in, out, true));
        }
        return photo;
    }

    private interface Rewriter {
        void rewrite(byte[] in, OutputStream out) throws IOException;
    }

    private static byte[] rewrite(byte[] photo, Rewriter rewriter) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(photo.length);
        rewriter.rewrite(photo, out);
        return out.toByteArray();
    }

    private static ByteSource source(Photo.Content photo) {
        return photo.file() != null ? ByteSource.path(photo.file()) : ByteSource.array(photo.bytes());
    }
}
