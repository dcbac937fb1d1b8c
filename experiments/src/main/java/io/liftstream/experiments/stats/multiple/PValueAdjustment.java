package io.liftstream.experiments.stats.multiple;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Adjusted p-values for several comparisons against one control (as R's {@code p.adjust}).
 *
 * <ul>
 *   <li>Holm (1979), "A simple sequentially rejective multiple test procedure", step-down:
 *       with p₍₁₎ ≤ … ≤ p₍ₘ₎, p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎). Controls the
 *       family-wise error rate.</li>
 *   <li>Benjamini &amp; Hochberg (1995), "Controlling the false discovery rate", step-up:
 *       p̃₍ᵢ₎ = min_{j ≥ i} min(1, m p₍ⱼ₎ / j). Controls the false discovery rate.</li>
 * </ul>
 * A p-value of 1 in, e.g. a comparison without data, still counts in m: leaving it out would make
 * the others look better for lack of data.
 */
public final class PValueAdjustment {
    private PValueAdjustment() {}

    public static double[] holm(double[] p) {
        int m = p.length;
        Integer[] order = ascending(p);
        double[] adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    public static double[] benjaminiHochberg(double[] p) {
        int m = p.length;
        Integer[] order = ascending(p);
        double[] adjusted = new double[m];
        double running = 1.0;
        for (int rank = m - 1; rank >= 0; rank--) {
            int i = order[rank];
            running = Math.min(running, Math.min(1.0, (double) m * p[i] / (rank + 1)));
            adjusted[i] = running;
        }
        return adjusted;
    }

    private static Integer[] ascending(double[] p) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        return order;
    }
}
