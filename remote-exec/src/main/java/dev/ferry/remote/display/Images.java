package dev.ferry.remote.display;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Images as MIME bundles: {@code BufferedImage}s and GIFs are encoded as PNG, PNG and JPEG bytes are sent
 * as they are (base64). Images over {@link Limits#MAX_IMAGE_BYTES} are refused with a note.
 */
public final class Images {
    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    static {
        ImageIO.setUseCache(false); // encode in memory: no cache file in java.io.tmpdir, which may not exist
    }

    private Images() {}

    /** A BufferedImage as image/png. */
    public static Map<String, Object> of(BufferedImage img) {
        return png(encodePng(img), "BufferedImage " + img.getWidth() + "×" + img.getHeight());
    }

    /**
     * The bundle for an image given as a {@code BufferedImage}, a {@code Path} or {@code File} of a .png,
     * .jpg/.jpeg or .gif file, a file name, or the bytes of a PNG, JPEG or GIF image.
     *
     * @throws IllegalArgumentException when it is not an image
     */
    public static Map<String, Object> bundle(Object image) {
        if (image instanceof BufferedImage b) {
            return of(b);
        }
        if (image instanceof File f) {
            image = f.toPath();
        } else if (image instanceof CharSequence s) {
            image = Path.of(s.toString());
        }
        if (image instanceof Path p) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no image file at " + p.toAbsolutePath());
            }
            Map<String, Object> b = fileOrNull(p);
            if (b == null) {
                throw new IllegalArgumentException(p + " is not a .png, .jpg, .jpeg or .gif file");
            }
            return b;
        }
        if (image instanceof byte[] bytes) {
            return bytes(bytes, "image (" + bytes.length + " bytes)");
        }
        throw new IllegalArgumentException("not an image: " + (image == null ? "null" : image.getClass().getName())
                + " (expected a BufferedImage, Path, File, file name or PNG/JPEG/GIF bytes)");
    }

    /** An image file by its extension; null (declined) for other files and missing ones. */
    static Map<String, Object> fileOrNull(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".gif"))
                || !Files.isRegularFile(p)) {
            return null;
        }
        try {
            long size = Files.size(p);
            if (size > Limits.MAX_IMAGE_BYTES) {
                return Map.of("text/plain", Limits.imageTooLarge(p.toString(), size));
            }
            return bytes(Files.readAllBytes(p), p.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** PNG and JPEG bytes as they are; any other format ImageIO reads (GIF, BMP) converted to PNG. */
    static Map<String, Object> bytes(byte[] b, String what) {
        if (startsWith(b, PNG_SIGNATURE)) {
            return png(b, what);
        }
        if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return encoded("image/jpeg", b, what);
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(b));
        } catch (IOException e) {
            img = null;
        }
        if (img == null) {
            throw new IllegalArgumentException(what + " is not an image ImageIO can read (PNG, JPEG, GIF, BMP)");
        }
        return png(encodePng(img), what);
    }

    static Map<String, Object> png(byte[] png, String what) {
        return encoded("image/png", png, what);
    }

    private static Map<String, Object> encoded(String mime, byte[] data, String what) {
        if (data.length > Limits.MAX_IMAGE_BYTES) {
            return Map.of("text/plain", Limits.imageTooLarge(what, data.length));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(mime, Base64.getEncoder().encodeToString(data));
        m.put("text/plain", what);
        return m;
    }

    /** PNG bytes of an image. */
    public static byte[] encodePng(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalArgumentException("no PNG writer for this image type");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
