package dev.photorelay.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * {@code count} JPEGs of exactly {@code size} bytes, photo {@code i} at {@link #file(int)} carrying the marker of id
 * {@code i}. Generated once into a cache folder and reused: a noise image (which JPEG cannot shrink, like a real
 * photo's detail) encoded at high quality, the marker in a comment right after the start-of-image, and random bytes
 * after the end-of-image up to the size (decoders ignore them, and nothing can compress them away either).
 */
final class PhotoSet {

    /** Noise at quality 0.9 encodes to about 0.9 bytes per pixel; the image takes ~60% of the file, padding the rest. */
    private static final double BYTES_PER_PIXEL = 0.9;
    private static final double IMAGE_SHARE = 0.6;
    private static final String COMPLETE = ".complete";

    private final Path folder;
    private final int count;
    private final long size;

    private PhotoSet(Path folder, int count, long size) {
        this.folder = folder;
        this.count = count;
        this.size = size;
    }

    /** The set in {@code cacheRoot/photos-<size>-<count>/}, generated first if it is not complete there. */
    static PhotoSet prepare(Path cacheRoot, int count, long size) throws IOException {
        Path folder = cacheRoot.resolve("photos-" + Units.size(size) + "-" + count);
        PhotoSet set = new PhotoSet(folder, count, size);
        if (!Files.exists(folder.resolve(COMPLETE))) {
            Progress.say("generating %d photos of %s in %s", count, Units.size(size), folder);
            set.generate();
        }
        return set;
    }

    Path file(int id) {
        return folder.resolve(String.format("photo-%06d.jpg", id));
    }

    int count() {
        return count;
    }

    long size() {
        return size;
    }

    private void generate() throws IOException {
        Files.createDirectories(folder);
        Files.deleteIfExists(folder.resolve(COMPLETE));
        byte[] jpeg = noiseJpeg();
        SplittableRandom random = new SplittableRandom(size);
        for (int id = 0; id < count; id++) {
            byte[] marker = PhotoMarker.of(id);
            byte[] padding = new byte[(int) (size - jpeg.length - markerSegmentLength(marker))];
            random.nextBytes(padding);
            // written in id order: the relay takes the oldest first, so ids and modification times agree
            try (OutputStream out = Files.newOutputStream(file(id))) {
                out.write(jpeg, 0, 2); // SOI
                out.write(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, (byte) (2 + marker.length)}); // COM, its length
                out.write(marker);
                out.write(jpeg, 2, jpeg.length - 2);
                out.write(padding);
            }
        }
        Files.createFile(folder.resolve(COMPLETE));
    }

    private static int markerSegmentLength(byte[] marker) {
        return 4 + marker.length;
    }

    /** A square noise image encoded to well under the target size (halved until it fits, for tiny targets). */
    private byte[] noiseJpeg() throws IOException {
        int side = (int) Math.sqrt(size * IMAGE_SHARE / BYTES_PER_PIXEL);
        while (true) {
            byte[] jpeg = encode(noise(Math.max(side, 8)));
            if (jpeg.length + markerSegmentLength(PhotoMarker.of(0)) <= size || side <= 8) {
                if (jpeg.length + markerSegmentLength(PhotoMarker.of(0)) > size) {
                    throw new IllegalArgumentException("photos of " + size + " bytes are too small for a JPEG");
                }
                return jpeg;
            }
            side /= 2;
        }
    }

    private static BufferedImage noise(int side) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(side);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam quality = writer.getDefaultWriteParam();
        quality.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        quality.setCompressionQuality(0.9f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), quality);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The ids of the first {@code n} photos: a run never uses a photo twice, so the fake can tell them apart. */
    List<Integer> first(int n) {
        if (n > count) {
            throw new IllegalArgumentException("a run of " + n + " photos from a set of " + count);
        }
        List<Integer> ids = new ArrayList<>(n);
        for (int id = 0; id < n; id++) {
            ids.add(id);
        }
        return ids;
    }
}
