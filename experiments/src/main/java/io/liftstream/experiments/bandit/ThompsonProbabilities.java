package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * Monte Carlo estimate of q_i = P(arm i has the largest posterior draw), the probability with which
 * Thompson sampling picks arm i.
 *
 * <p>With M draws the standard error of each q_i is at most 0.5/√M: 0.005 for the default
 * {@value #DEFAULT_DRAWS}. Win counts are smoothed, q_i = (w_i + ½) / (M + k/2), so that no arm that
 * can be chosen gets propensity 0 (inverse-propensity weights must be finite); this moves each q_i by
 * at most k/(2M), 0.00025 for 5 arms.
 */
public final class ThompsonProbabilities {
    private ThompsonProbabilities() {}

    /** Monte Carlo draws per snapshot. */
    public static final int DEFAULT_DRAWS = 10_000;
    /** Base seed of the estimate, mixed with the snapshot's content hash. */
    public static final long SEED = 0x5DEECE66DL;

    public static double[] estimate(ArmPosteriors posteriors, int draws, long seed) {
        int k = posteriors.arms();
        SplittableRandom rng = new SplittableRandom(seed);
        long[] wins = new long[k];
        for (int m = 0; m < draws; m++) {
            wins[posteriors.sampleArgmax(rng)]++;
        }
        double[] q = new double[k];
        double denominator = draws + 0.5 * k;
        for (int i = 0; i < k; i++) {
            q[i] = (wins[i] + 0.5) / denominator;
        }
        return q;
    }
}
