package io.liftstream.experiments.assignment;

import java.util.Arrays;
import java.util.List;

/**
 * GrowthBook's bucket ranges and variation choice ({@code getEqualWeights}, {@code getBucketRanges},
 * {@code chooseVariation} in the SDK specification).
 *
 * <p>Variation i owns [c_i, c_i + coverage * w_i) where c_i is the sum of the earlier weights. Reducing
 * coverage therefore shrinks every range from its right end and never moves a user from one variation
 * to another: raising coverage later only adds users.
 */
public final class BucketRanges {
    private BucketRanges() {}

    /** Tolerance on the weight sum, as in the SDKs: weights summing outside [0.99, 1.01] are invalid. */
    public static final double WEIGHT_SUM_TOLERANCE = 0.01;

    /** n equal weights 1/n; empty for n ≤ 0. */
    public static double[] equalWeights(int n) {
        if (n <= 0) {
            return new double[0];
        }
        double[] w = new double[n];
        Arrays.fill(w, 1.0 / n);
        return w;
    }

    /** Whether the weights are usable as given: one per variation and summing to 1 ± 0.01. */
    public static boolean validWeights(int numVariations, double[] weights) {
        if (weights == null || weights.length != numVariations) {
            return false;
        }
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        return total >= 1 - WEIGHT_SUM_TOLERANCE && total <= 1 + WEIGHT_SUM_TOLERANCE;
    }

    /**
     * The ranges of {@code numVariations} variations. Coverage is clamped to [0, 1]; missing or invalid
     * weights (wrong count, or a sum outside [0.99, 1.01]) fall back to an equal split, exactly as the
     * SDKs do.
     *
     * @param weights may be null (equal split)
     */
    public static List<BucketRange> of(int numVariations, double coverage, double[] weights) {
        double cov = Math.min(1.0, Math.max(0.0, coverage));
        double[] w = validWeights(numVariations, weights) ? weights : equalWeights(numVariations);
        BucketRange[] ranges = new BucketRange[w.length];
        double cumulative = 0;
        for (int i = 0; i < w.length; i++) {
            double start = cumulative;
            cumulative += w[i];
            ranges[i] = new BucketRange(start, start + cov * w[i]);
        }
        return List.of(ranges);
    }

    /** The index of the first range containing {@code bucket}, or -1 when none does (outside coverage). */
    public static int chooseVariation(double bucket, List<BucketRange> ranges) {
        for (int i = 0; i < ranges.size(); i++) {
            if (ranges.get(i).contains(bucket)) {
                return i;
            }
        }
        return -1;
    }
}
