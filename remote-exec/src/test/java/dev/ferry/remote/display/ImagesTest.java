package dev.ferry.remote.display;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ImagesTest {
    static {
        new File(System.getProperty("java.io.tmpdir")).mkdirs(); // for @TempDir
    }

    private final Renderers r = Renderers.withDefaults();

    static BufferedImage sample() {
        BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 7; x++) {
            for (int y = 0; y < 5; y++) {
                img.setRGB(x, y, new Color(x * 30, y * 50, 99).getRGB());
            }
        }
        return img;
    }

    static byte[] png(Map<String, Object> bundle) {
        byte[] b = Base64.getDecoder().decode((String) bundle.get("image/png"));
        assertArrayEquals(Images.PNG_SIGNATURE, Arrays.copyOf(b, 8), "PNG signature");
        return b;
    }

    @Test
    void bufferedImageRoundTripsThroughPng() throws IOException {
        BufferedImage img = sample();
        Map<String, Object> b = r.render(img);
        assertEquals("BufferedImage 7×5", b.get("text/plain"));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png(b)));
        assertEquals(7, back.getWidth());
        assertEquals(5, back.getHeight());
        for (int x = 0; x < 7; x++) {
            for (int y = 0; y < 5; y++) {
                assertEquals(img.getRGB(x, y), back.getRGB(x, y));
            }
        }
    }

    @Test
    void imageFilesByPathAndFile(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("a.PNG");
        ImageIO.write(sample(), "png", p.toFile());
        assertArrayEquals(Files.readAllBytes(p), png(r.render(p)));
        assertArrayEquals(Files.readAllBytes(p), png(r.render(p.toFile())));

        Path jpg = dir.resolve("b.jpg");
        ImageIO.write(sample(), "jpg", jpg.toFile());
        assertArrayEquals(Files.readAllBytes(jpg), Base64.getDecoder().decode((String) r.render(jpg).get("image/jpeg")));

        Path gif = dir.resolve("c.gif");
        ImageIO.write(sample(), "gif", gif.toFile());
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png(r.render(gif))));
        assertEquals(7, back.getWidth());
    }

    @Test
    void otherFilesAndMissingImagesAreJustPaths(@TempDir Path dir) throws IOException {
        Path txt = Files.writeString(dir.resolve("a.txt"), "hi");
        assertEquals(Map.of("text/plain", txt.toString()), r.render(txt));
        Path missing = dir.resolve("nope.png");
        assertEquals(Map.of("text/plain", missing.toString()), r.render(missing));
        assertEquals(Map.of("text/plain", missing.toString()), r.render(new File(missing.toString())));
    }

    @Test
    void imageOfBytesAndErrors(@TempDir Path dir) throws IOException {
        byte[] pngBytes = Images.encodePng(sample());
        assertArrayEquals(pngBytes, png(Images.bundle(pngBytes)));
        Path p = dir.resolve("x.png");
        Files.write(p, pngBytes);
        assertArrayEquals(pngBytes, png(Images.bundle(p.toString())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Images.bundle(new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("not an image"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Images.bundle(dir.resolve("missing.png")));
        assertTrue(e.getMessage().contains("no image file"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Images.bundle(42));
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
    }

    @Test
    void imagesOverTheLimitAreRefused(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.png");
        byte[] data = new byte[(int) Limits.MAX_IMAGE_BYTES + 1];
        System.arraycopy(Images.PNG_SIGNATURE, 0, data, 0, 8);
        Files.write(big, data);
        Map<String, Object> b = r.render(big);
        assertFalse(b.containsKey("image/png"));
        assertTrue(((String) b.get("text/plain")).contains("over the 10 MB limit"), (String) b.get("text/plain"));
        assertFalse(Images.bundle(data).containsKey("image/png"));
    }

    @Test
    void xchartChartsArePng() throws IOException {
        XYChart chart = new XYChartBuilder().width(320).height(200).title("squares").build();
        chart.addSeries("y", new double[] {1, 2, 3}, new double[] {1, 4, 9});
        Map<String, Object> b = r.render(chart);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png(b)));
        assertEquals(320, back.getWidth());
        assertEquals(200, back.getHeight());
        assertEquals("XYChart \"squares\" 320×200", b.get("text/plain"));
    }
}
