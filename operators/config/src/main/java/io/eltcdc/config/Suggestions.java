package io.eltcdc.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for misspelled keys and values. */
public final class Suggestions {
    private Suggestions() {}

    /** The candidate closest to {@code typed}, or null when none is close enough to suggest. */
    public static String closest(String typed, Collection<String> candidates) {
        String t = normalize(typed);
        if (t.isEmpty()) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = normalize(candidate);
            if (c.equals(t)) {
                return candidate; // chunk_size, chunkSize, Chunk-Size
            }
            int d = distance(t, c);
            boolean prefix = Math.min(t.length(), c.length()) >= 4 && (c.startsWith(t) || t.startsWith(c));
            if ((d <= allowed(c) || prefix) && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** {@code ; did you mean "x"?} or nothing. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        String s = closest(typed, candidates);
        return s == null ? "" : "; did you mean \"" + s + "\"?";
    }

    private static int allowed(String candidate) {
        return candidate.length() <= 4 ? 1 : candidate.length() <= 8 ? 2 : 3;
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
    }

    /** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
    public static int distance(String a, String b) {
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
