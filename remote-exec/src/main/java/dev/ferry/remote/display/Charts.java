package dev.ferry.remote.display;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.IChart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** XChart charts (any {@code IChart}: XYChart, CategoryChart, PieChart, ...) as image/png. */
final class Charts {
    private Charts() {}

    static void register(Renderers r) {
        try {
            r.register(IChart.class, Charts::png);
        } catch (LinkageError e) {
            // XChart is not on the class path: charts are shown as text
        }
    }

    static Map<String, Object> png(IChart chart) {
        byte[] png;
        try {
            Images.class.getName(); // its static setup (no ImageIO disk cache) applies here too
            png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String title = chart.getTitle() == null || chart.getTitle().isEmpty() ? "" : " \"" + chart.getTitle() + "\"";
        return Images.png(png, chart.getClass().getSimpleName() + title + " " + chart.getWidth() + "×" + chart.getHeight());
    }
}
