package dev.photorelay.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Semaphore;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import jakarta.inject.Singleton;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;

/**
 * Re-encodes a photo as a JPEG within a platform's limits: as large as the limits (and the decoding budget) allow,
 * with the JPEG quality stepped down only as far as needed, and smaller only when the lowest quality is still too
 * big. Decoding is Java ImageIO's, with TwelveMonkeys' plugins for the JPEGs print and Adobe workflows make (CMYK,
 * YCCK) and for WebP; an image is turned as its EXIF orientation says, and keeps no metadata.
 * <p>
 * Memory: a photo of more than {@link #DECODE_BUDGET_PIXELS} is decoded subsampled (every 2nd or 3rd pixel), so a
 * 50-megapixel photo takes about 36 MB of heap, not 150; and one photo is fitted at a time.
 */
@Singleton
public class PhotoFitter {

    /** Pixels decoded at most (3 bytes each): more than any chat platform shows (Telegram: 2560 on the long side). */
    static final long DECODE_BUDGET_PIXELS = 16_000_000;
    /**
     * Pixels a photo may have to be fitted at all: more than any camera makes (150 megapixels), so that a small file
     * declaring a huge image (a decompression bomb) is refused at once instead of holding the fitter for minutes.
     */
    static final long MAX_PIXELS = 150_000_000;
    /** JPEG qualities tried in turn; below the last, the photo is made smaller instead. */
    private static final float[] QUALITIES = { 0.90f, 0.85f, 0.80f, 0.75f, 0.70f, 0.65f, 0.60f };
    /** How much smaller each try past the lowest quality is made, at least. */
    private static final double SHRINK = 0.85;

    private final Semaphore oneAtATime = new Semaphore(1, true);

    /**
     * Writes the photo as a JPEG that fits.
     *
     * @param  photo                  the photo as taken (any format the relay takes)
     * @param  limits                 the platform's: bytes and width + height are met; the aspect ratio cannot be
     * @param  out                    where the JPEG is written
     * @return                        what was written
     * @throws PhotoDeliveryException {@code UNSUPPORTED_MEDIA}: the image cannot be decoded, or has over
     *                                {@link #MAX_PIXELS}
     * @throws IOException            the photo or {@code out} cannot be read or written
     * @throws InterruptedException   interrupted while waiting for the photo before it
     */
    public FittedPhoto fit(Photo.Content photo, PhotoLimits limits, Path out)
            throws PhotoDeliveryException, IOException, InterruptedException {
        oneAtATime.acquire();
        try {
            BufferedImage image = upright(decode(photo, limits), MetadataRemoval.orientation(photo));
            int[] size = withinPixels(image.getWidth(), image.getHeight(), limits);
            int qualityStep = 0;
            while (true) {
                BufferedImage scaled = scaled(image, size[0], size[1]);
                for (; qualityStep < QUALITIES.length; qualityStep++) {
                    long bytes = encode(scaled, QUALITIES[qualityStep], out);
                    if (bytes <= limits.maxBytes()) {
                        return new FittedPhoto(out, scaled.getWidth(), scaled.getHeight(), bytes, QUALITIES[qualityStep]);
                    }
                    if (qualityStep == QUALITIES.length - 1) {
                        // bytes go with the area: shrink the sides by the square root of how far over it is
                        double factor = Math.min(SHRINK, Math.sqrt((double) limits.maxBytes() / bytes));
                        size = withinAspect(Math.max(1, (int) (size[0] * factor)), Math.max(1, (int) (size[1] * factor)),
                                limits);
                        break;
                    }
                }
            }
        } finally {
            oneAtATime.release();
        }
    }

    /** Decodes the first image, subsampled to the budget, and to no less than the size it is to be scaled to. */
    private static BufferedImage decode(Photo.Content photo, PhotoLimits limits) throws PhotoDeliveryException, IOException {
        // a file is read where it lies (no copy in ImageIO's cache); bytes from memory
        try (ImageInputStream stream = photo.file() != null ? ImageIO.createImageInputStream(photo.file().toFile())
                : new MemoryCacheImageInputStream(new ByteArrayInputStream(photo.bytes()))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw undecodable(photo, null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > MAX_PIXELS) {
                    throw new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA, "the image has " + width + "x"
                            + height + " pixels, more than the " + MAX_PIXELS / 1_000_000 + " megapixels the relay fits");
                }
                if (decodedWhole(photo) && width * height > DECODE_BUDGET_PIXELS) {
                    throw new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA, "a " + kind(photo) + " of " + width
                            + "x" + height + " pixels is decoded whole, whatever the subsampling; the relay fits those "
                            + "of at most " + DECODE_BUDGET_PIXELS / 1_000_000 + " megapixels");
                }
                int step = (int) Math.max(1, Math.ceil(Math.sqrt((double) width * height / DECODE_BUDGET_PIXELS)));
                if (limits.maxWidthPlusHeight() > 0) {
                    // a photo twice the size allowed or more can lose every other pixel and still be large enough
                    step = (int) Math.max(step, (width + height) / limits.maxWidthPlusHeight());
                }
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } catch (RuntimeException | IOException broken) {
                throw undecodable(photo, broken);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Whether the decoder holds the whole image however little of it is asked for: TwelveMonkeys' WebP decoder
     * ignores subsampling, and the JPEG library keeps every coefficient of a progressive JPEG until its last scan.
     */
    private static boolean decodedWhole(Photo.Content photo) throws IOException {
        if (photo.type() == MediaType.WEBP) {
            return true;
        }
        if (photo.type() != MediaType.JPEG) {
            return false;
        }
        try (InputStream in = new BufferedInputStream(photo.open(), 2048)) {
            int frame = ImageHeader.jpegFrameMarker(in);
            return frame == 0xC2 || frame == 0xC6 || frame == 0xCA || frame == 0xCE; // progressive frames, T.81 B.1.1.3
        } catch (PhotoDeliveryException | EOFException unreadable) {
            return false; // the decoder says what is wrong
        }
    }

    private static String kind(Photo.Content photo) {
        return photo.type() == MediaType.JPEG ? "progressive JPEG" : photo.type().name();
    }

    private static PhotoDeliveryException undecodable(Photo.Content photo, Exception why) {
        return new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA, "the " + photo.type().name() + " image could not "
                + "be decoded to fit it" + (why == null || why.getMessage() == null ? "" : ": " + why.getMessage()));
    }

    /** The size within width + height, keeping the aspect. */
    private static int[] withinPixels(int width, int height, PhotoLimits limits) {
        int max = limits.maxWidthPlusHeight();
        if (max <= 0 || width + height <= max) {
            return new int[] { width, height };
        }
        double factor = (double) max / (width + height);
        return withinAspect(Math.max(1, (int) Math.floor(width * factor)), Math.max(1, (int) Math.floor(height * factor)),
                limits);
    }

    /** Rounding a photo at the aspect limit down can take it past the limit by a pixel: the longer side gives way. */
    private static int[] withinAspect(int width, int height, PhotoLimits limits) {
        long ratio = limits.maxAspectRatio();
        if (ratio > 0 && width > ratio * height) {
            width = (int) (ratio * height);
        } else if (ratio > 0 && height > ratio * width) {
            height = (int) (ratio * width);
        }
        return new int[] { width, height };
    }

    /**
     * The image as EXIF orientation {@code orientation} (1 to 8) says it shows, in 8-bit RGB (or grey) on white: what
     * a JPEG can hold, whatever it was decoded as (CMYK converted by the reader, 16-bit, indexed, with alpha).
     */
    static BufferedImage upright(BufferedImage image, int orientation) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean turned = orientation >= 5;
        AffineTransform transform = new AffineTransform();
        switch (orientation) {
            case 2 -> transform.setTransform(-1, 0, 0, 1, w, 0);
            case 3 -> transform.setTransform(-1, 0, 0, -1, w, h);
            case 4 -> transform.setTransform(1, 0, 0, -1, 0, h);
            case 5 -> transform.setTransform(0, 1, 1, 0, 0, 0);
            case 6 -> transform.setTransform(0, 1, -1, 0, h, 0);
            case 7 -> transform.setTransform(0, -1, -1, 0, h, w);
            case 8 -> transform.setTransform(0, -1, 1, 0, 0, w);
            default -> {
                if (image.getType() == BufferedImage.TYPE_3BYTE_BGR || image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                    return image;
                }
            }
        }
        boolean grey = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
        BufferedImage upright = new BufferedImage(turned ? h : w, turned ? w : h,
                grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = upright.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, upright.getWidth(), upright.getHeight());
            g.drawImage(image, transform, null);
        } finally {
            g.dispose();
        }
        return upright;
    }

    private static BufferedImage scaled(BufferedImage image, int width, int height) {
        if (image.getWidth() == width && image.getHeight() == height) {
            return image;
        }
        BufferedImage scaled = new BufferedImage(width, height, image.getType());
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return scaled;
    }

    /** Writes the image to {@code file} (straight to disk: a 10 MB JPEG is not held in memory too); its size. */
    private static long encode(BufferedImage image, float quality, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        Files.deleteIfExists(file);
        try (FileImageOutputStream out = new FileImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return Files.size(file);
    }
}
