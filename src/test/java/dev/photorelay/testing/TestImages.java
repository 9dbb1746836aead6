package dev.photorelay.testing;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Real images made on the spot, and files that only look like images. */
public final class TestImages {

    private TestImages() {
    }

    public static byte[] jpeg(int width, int height) {
        return encode("jpg", width, height, BufferedImage.TYPE_INT_RGB);
    }

    public static byte[] png(int width, int height) {
        return encode("png", width, height, BufferedImage.TYPE_INT_ARGB);
    }

    public static byte[] gif(int width, int height) {
        return encode("gif", width, height, BufferedImage.TYPE_INT_RGB);
    }

    /** A PNG of a header and its end only, no pixels: enough for the relay to read a size it must refuse. */
    public static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put(new byte[] { 8, 2, 0, 0, 0 });
        ByteBuffer png = ByteBuffer.allocate(8 + 25 + 12);
        png.put(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
        png.putInt(13).put("IHDR".getBytes()).put(ihdr.array());
        CRC32 crc = new CRC32();
        crc.update("IHDR".getBytes());
        crc.update(ihdr.array());
        png.putInt((int) crc.getValue());
        png.putInt(0).put("IEND".getBytes()).putInt(0xAE426082);
        return png.array();
    }

    /**
     * A JPEG of random pixels, so that it does not compress to a few bytes: {@code width x height} photos of the
     * size real ones have. {@code progressive} writes it in several scans, as web tools and some cameras do.
     */
    public static byte[] noisyJpeg(int width, int height, boolean progressive) {
        return writeJpeg(new IIOImage(noise(width, height), null, null), progressive, null);
    }

    /**
     * A JPEG of random pixels written at {@code quality} (0 to 1): at 1, about 2.5 bytes a pixel, the size of the
     * largest camera files.
     */
    public static byte[] noisyJpeg(int width, int height, float quality) {
        return writeJpeg(new IIOImage(noise(width, height), null, null), false, quality);
    }

    /**
     * A CMYK JPEG of random pixels, as print and Adobe workflows make them: four components, no colour transform
     * (the JPEG writer is handed a 4-band raster, which it writes as it is).
     */
    public static byte[] noisyCmykJpeg(int width, int height, float quality) {
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, width, height, 4, null);
        byte[] pixels = ((java.awt.image.DataBufferByte) raster.getDataBuffer()).getData();
        new Random(width * 17L + height).nextBytes(pixels);
        return writeJpeg(new IIOImage(raster, null, null), false, quality);
    }

    /** A progressive JPEG of one colour, as web tools write them: several scans, the first a coarse one. */
    public static byte[] progressiveJpeg(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        return writeJpeg(new IIOImage(image, null, null), true, null);
    }

    /** A PNG with 16 bits per channel, as scanners and raw converters write them. */
    public static byte[] png16(int width, int height) {
        java.awt.color.ColorSpace rgb = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB);
        java.awt.image.ComponentColorModel model = new java.awt.image.ComponentColorModel(rgb, false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT);
        BufferedImage image = new BufferedImage(model, model.createCompatibleWritableRaster(width, height), false, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setPixel(x, y, new int[] { x * 65535 / width, y * 65535 / height, 30000 });
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(width * 31L + height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static byte[] writeJpeg(IIOImage image, boolean progressive, Float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        if (quality != null) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, image, param);
            stream.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** The JPEG with an EXIF block holding what {@code exif} puts in it (Apache Commons Imaging). */
    public static byte[] withExif(byte[] jpeg, ExifFields exif) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            org.apache.commons.imaging.formats.tiff.write.TiffOutputSet set = new org.apache.commons.imaging.formats.tiff.write.TiffOutputSet();
            exif.put(set);
            new org.apache.commons.imaging.formats.jpeg.exif.ExifRewriter().updateExifMetadataLossless(jpeg, out, set);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From the start-of-scan marker to the end: a JPEG's compressed pixels (ITU T.81 B.2), its metadata left out. */
    public static byte[] imageData(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i + 1] & 0xFF) == 0xDA) {
                return Arrays.copyOfRange(jpeg, i, jpeg.length);
            }
            i += 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF));
        }
        throw new AssertionError("no start of scan");
    }

    /** Fills an EXIF block. */
    public interface ExifFields {
        void put(org.apache.commons.imaging.formats.tiff.write.TiffOutputSet exif) throws IOException;
    }

    /**
     * A WebP as its container holds it (RFC 9649): a RIFF header and one {@code VP8L} chunk whose header gives the
     * size, followed by {@code payload} bytes standing in for the compressed pixels (never decoded by the relay).
     */
    public static byte[] webp(int width, int height, int payload) {
        int chunk = 5 + payload;
        int padded = chunk + (chunk & 1);
        ByteBuffer webp = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
        webp.put("RIFF".getBytes()).putInt(12 + padded).put("WEBP".getBytes());
        webp.put("VP8L".getBytes()).putInt(chunk);
        webp.put((byte) 0x2f).putInt((width - 1) | (height - 1) << 14);
        byte[] pixels = new byte[payload];
        new Random(payload).nextBytes(pixels);
        webp.put(pixels);
        return webp.array();
    }

    /** A valid image followed by padding up to {@code size} bytes. */
    public static byte[] padded(byte[] image, int size) {
        return Arrays.copyOf(image, size);
    }

    private static byte[] encode(String format, int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        var g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
