package dev.ferry.magics;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" by edit distance (optimal string alignment: insert, delete, substitute, swap). */
final class Suggest {
    private Suggest() {
    }

    /** The candidate closest to {@code typed}, or null when none is close enough to be a plausible typo. */
    static String closest(String typed, Collection<String> candidates) {
        String t = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int d = distance(t, c);
            if (t.length() >= 2 && c.startsWith(t)) {
                d = Math.min(d, 1);
            }
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int limit = t.length() <= 3 ? 1 : t.length() <= 6 ? 2 : 3;
        return best != null && bestDistance <= limit && bestDistance < t.length() ? best : null;
    }

    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
