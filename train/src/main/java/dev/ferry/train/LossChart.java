package dev.ferry.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loss curves as a self-contained SVG (no plotting library), for {@code display(html(chart.svg()))} and
 * {@code handle.update(...)} in a notebook while training runs.
 */
public final class LossChart {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
    private final Map<String, List<float[]>> series = new LinkedHashMap<>();
    private final String title;

    public LossChart(String title) {
        this.title = title;
    }

    public synchronized LossChart add(String name, int step, float loss) {
        series.computeIfAbsent(name, k -> new ArrayList<>()).add(new float[]{step, loss});
        return this;
    }

    public synchronized int points(String name) {
        return series.getOrDefault(name, List.of()).size();
    }

    public synchronized String svg() {
        int w = 560, h = 300, l = 50, r = 130, t = 30, b = 35;
        float minX = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, minY = Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        for (List<float[]> pts : series.values()) {
            for (float[] p : pts) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (minX > maxX) {
            minX = 0;
            maxX = 1;
            minY = 0;
            maxY = 1;
        }
        if (maxX == minX) maxX = minX + 1;
        if (maxY == minY) maxY = minY + 1;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "font-family='sans-serif' font-size='11'>", w, h));
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='18' font-size='13'>%s</text>", l, esc(title)));
        sb.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>",
                l, t, w - l - r, h - t - b));
        for (int i = 0; i <= 4; i++) {
            float y = minY + (maxY - minY) * i / 4;
            double py = t + (h - t - b) * (1 - i / 4.0);
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%.2f</text>", l - 4, py + 4, y));
        }
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>step %d</text><text x='%d' y='%d' text-anchor='end'>%d</text>",
                l, h - 10, (int) minX, w - r, h - 10, (int) maxX));
        int c = 0;
        for (Map.Entry<String, List<float[]>> e : series.entrySet()) {
            String color = COLORS[c % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (float[] p : e.getValue()) {
                double px = l + (w - l - r) * (p[0] - minX) / (maxX - minX);
                double py = t + (h - t - b) * (1 - (p[1] - minY) / (maxY - minY));
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            sb.append("<polyline fill='none' stroke='").append(color).append("' stroke-width='1.5' points='")
                    .append(pts.toString().trim()).append("'/>");
            float[] last = e.getValue().get(e.getValue().size() - 1);
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' fill='%s'>%s %.3f</text>",
                    w - r + 8, t + 14 + 16 * c, color, esc(e.getKey()), last[1]));
            c++;
        }
        return sb.append("</svg>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
