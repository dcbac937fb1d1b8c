package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * Top-two Thompson sampling (Russo, "Simple Bayesian algorithms for best arm identification", COLT
 * 2016 / Operations Research 68(6), 2020, §3, "TTTS"): draw from the posteriors and take the best arm
 * I; with probability β play I, otherwise redraw until another arm J ≠ I is best and play J. It
 * explores the runner-up more than Thompson sampling does, which identifies the best arm faster.
 *
 * <p>Since redraws are independent, J is distributed as P(J = j) = q_j / (1 − q_I) for j ≠ I, where q
 * are the Thompson probabilities. The probability of playing arm j is therefore
 * <pre>  p_j = β·q_j + (1 − β)·q_j · Σ_{i≠j} q_i / (1 − q_i)</pre>
 * computed from the Monte Carlo estimate of q. Redraws stop after {@value #MAX_REDRAWS}; then J is the
 * best of the other arms in the last draw (this happens only when q_I &gt; 0.99 or so, and changes p by
 * less than the Monte Carlo error).
 */
public final class TopTwoThompsonPolicy implements BanditPolicy {
    /** Russo's recommended default. */
    public static final double DEFAULT_BETA = 0.5;
    public static final int MAX_REDRAWS = 100;

    private final double beta;

    public TopTwoThompsonPolicy(double beta) {
        if (!(beta > 0 && beta <= 1)) {
            throw new IllegalArgumentException("top-two beta must be in (0, 1], was " + beta);
        }
        this.beta = beta;
    }

    @Override
    public PolicyType type() {
        return PolicyType.TOP_TWO;
    }

    @Override
    public int choose(ArmPosteriors posteriors, SplittableRandom rng) {
        int first = posteriors.sampleArgmax(rng);
        if (posteriors.arms() == 1 || rng.nextDouble() < beta) {
            return first;
        }
        for (int r = 0; r < MAX_REDRAWS - 1; r++) {
            int j = posteriors.sampleArgmax(rng);
            if (j != first) {
                return j;
            }
        }
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < posteriors.arms(); i++) {
            double v = posteriors.sample(i, rng);
            if (i != first && v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    @Override
    public double probability(ArmPosteriors posteriors, int arm) {
        double[] q = posteriors.thompsonProbabilities();
        double challenger = 0;
        for (int i = 0; i < q.length; i++) {
            if (i != arm) {
                challenger += q[i] / (1 - q[i]);
            }
        }
        return beta * q[arm] + (1 - beta) * q[arm] * challenger;
    }

    @Override
    public boolean exact() {
        return false;
    }
}
