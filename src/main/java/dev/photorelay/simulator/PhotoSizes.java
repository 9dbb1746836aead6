package dev.photorelay.simulator;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The sizes Telegram offers a bot for a photo a user sent (Bot API: Message.photo, "available sizes of the photo"):
 * JPEG thumbnails within the boxes of its small sizes, then the photo itself as the largest, smallest first. A real
 * Telegram recompresses even the largest; the simulator keeps it as sent, so that a test can tell it came through.
 * Decoding is the JDK's ImageIO (the simulator is plain JDK code), one photo at a time and subsampled, so that a
 * photo of many pixels costs little memory.
 */
final class PhotoSizes {

    /** One size: its pixels and its bytes. */
    record Size(int width, int height, byte[] bytes) {
    }

    /** The boxes of Telegram's two smallest photo sizes a bot gets (types {@code s} and {@code m}). */
    private static final int[] THUMBNAIL_BOXES = { 90, 320 };
    /** Telegram's rule for a photo (sendPhoto): "the photo's width and height must not exceed 10000 in total". */
    private static final int MAX_WIDTH_PLUS_HEIGHT = 10_000;
    private static final Object ONE_AT_A_TIME = new Object();

    private PhotoSizes() {
    }

    /**
     * The sizes of {@code photo}, smallest first: a thumbnail for each box smaller than the photo, then the photo;
     * {@link IllegalArgumentException} if ImageIO cannot read it or it is larger than Telegram takes as a photo.
     */
    static List<Size> of(byte[] photo) {
        synchronized (ONE_AT_A_TIME) {
            try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(photo))) {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
                if (!readers.hasNext()) {
                    throw new IllegalArgumentException("not an image Telegram can show as a photo: send it as a document");
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(stream, true, true);
                    int width = reader.getWidth(0);
                    int height = reader.getHeight(0);
                    if (width + height > MAX_WIDTH_PLUS_HEIGHT) {
                        throw new IllegalArgumentException("a photo of " + width + "x" + height + " pixels: Telegram "
                                + "takes at most " + MAX_WIDTH_PLUS_HEIGHT + " in width and height together");
                    }
                    List<Size> sizes = new ArrayList<>();
                    BufferedImage decoded = null;
                    for (int box : THUMBNAIL_BOXES) {
                        if (Math.max(width, height) > box) {
                            if (decoded == null) {
                                decoded = decode(reader, Math.max(width, height) / THUMBNAIL_BOXES[THUMBNAIL_BOXES.length - 1]);
                            }
                            sizes.add(thumbnail(decoded, width, height, box));
                        }
                    }
                    sizes.add(new Size(width, height, photo));
                    return sizes;
                } finally {
                    reader.dispose();
                }
            } catch (IllegalArgumentException refusal) {
                throw refusal;
            } catch (IOException | RuntimeException broken) {
                // ImageIO's readers throw runtime exceptions too on a broken image
                throw new IllegalArgumentException("an image ImageIO cannot read: " + broken.getMessage(), broken);
            }
        }
    }

    /** The image with every {@code step}th pixel each way: no smaller than the largest thumbnail needs. */
    private static BufferedImage decode(ImageReader reader, int step) throws IOException {
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(Math.max(1, step), Math.max(1, step), 0, 0);
        return reader.read(0, param);
    }

    /** The image scaled to fit {@code box}, as a JPEG (on white: JPEG has no transparency). */
    private static Size thumbnail(BufferedImage image, int width, int height, int box) throws IOException {
        double scale = (double) box / Math.max(width, height);
        int w = Math.max(1, (int) Math.round(width * scale));
        int h = Math.max(1, (int) Math.round(height * scale));
        BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, Color.WHITE, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        if (!ImageIO.write(scaled, "jpg", jpeg)) {
            throw new IOException("no JPEG writer");
        }
        return new Size(w, h, jpeg.toByteArray());
    }
}
