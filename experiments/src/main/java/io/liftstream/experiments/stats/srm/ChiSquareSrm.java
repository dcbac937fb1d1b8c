package io.liftstream.experiments.stats.srm;

import io.liftstream.experiments.stats.Distributions;

/**
 * Sample ratio mismatch by Pearson's chi-square goodness-of-fit test (Pearson 1900), as gbstats'
 * {@code check_srm}: X² = Σ (O_i − E_i)²/E_i with E_i = N·w_i/Σw over the arms with weight &gt; 0,
 * df = (number of such arms) − 1. Arms with weight 0 leave both the statistic and the degrees of
 * freedom. Returns 1 when there is nothing to test (fewer than two weighted arms or no units).
 */
public final class ChiSquareSrm {
    private ChiSquareSrm() {}

    public static double pValue(long[] counts, double[] weights) {
        if (counts.length != weights.length) {
            throw new IllegalArgumentException("one weight per arm");
        }
        double totalWeight = 0;
        long totalN = 0;
        int arms = 0;
        for (int i = 0; i < counts.length; i++) {
            if (weights[i] > 0) {
                totalWeight += weights[i];
                totalN += counts[i];
                arms++;
            }
        }
        if (arms < 2 || totalN == 0) {
            return 1.0;
        }
        double x2 = 0;
        for (int i = 0; i < counts.length; i++) {
            if (weights[i] > 0) {
                double expected = totalN * weights[i] / totalWeight;
                double d = counts[i] - expected;
                x2 += d * d / expected;
            }
        }
        return Distributions.chiSquareSf(x2, arms - 1);
    }
}
