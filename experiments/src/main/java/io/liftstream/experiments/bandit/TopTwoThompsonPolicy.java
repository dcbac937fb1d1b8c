package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * Top-two Thompson sampling (Russo, "Simple Bayesian algorithms for best arm identification", COLT
 * 2016 / Operations Research 68(6), 2020, §3, "TTTS"): draw from the posteriors and take the best arm
 * I; with probability β play I, otherwise play a challenger J ≠ I. It explores the runner-up more than
 * Thompson sampling does, which identifies the best arm faster.
 *
 * <p>Russo finds J by redrawing from the posteriors until an arm other than I is best. Redraws are
 * independent, so J has the distribution P(J = j | I) = q_j / Σ_{m≠I} q_m (j ≠ I), with q the Thompson
 * probabilities. This class draws J from that distribution directly, with the q computed by
 * quadrature for the snapshot ({@link ThompsonProbabilities}): the same procedure in distribution, but
 * without a redraw loop whose expected length 1/(1 − q_I) explodes when one arm dominates (an earlier
 * version capped it at 100 draws and then fell back to the best other arm of one more draw: a different
 * distribution, off its logged propensity by a third when one arm dominated). The probability of playing
 * arm j is then exactly
 * <pre>  p_j = β·q_j + (1 − β) · Σ_{I≠j} q_I · q_j / Σ_{m≠I} q_m</pre>
 * (Russo 2020, §3; its error is only the quadrature's). When every other arm's q underflows to 0 the
 * challenger is uniform over the other arms, and p_j counts that too.
 */
public final class TopTwoThompsonPolicy implements BanditPolicy {
    /** Russo's recommended default. */
    public static final double DEFAULT_BETA = 0.5;

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
        int k = posteriors.arms();
        if (k == 1 || rng.nextDouble() < beta) {
            return first;
        }
        double rest = rest(posteriors, first);
        if (rest <= 0) {
            int j = rng.nextInt(k - 1);
            return j < first ? j : j + 1;
        }
        double u = rng.nextDouble() * rest;
        double cumulative = 0;
        int last = -1;
        for (int j = 0; j < k; j++) {
            if (j == first) {
                continue;
            }
            double qj = posteriors.thompsonProbability(j);
            if (qj > 0) {
                cumulative += qj;
                last = j;
                if (u < cumulative) {
                    return j;
                }
            }
        }
        return last; // u within rounding of rest
    }

    /** Σ_{m≠I} q_m, summed (not 1 − q_I) so that it is exactly the total the challenger draw walks. */
    private static double rest(ArmPosteriors posteriors, int first) {
        double rest = 0;
        for (int m = 0; m < posteriors.arms(); m++) {
            if (m != first) {
                rest += posteriors.thompsonProbability(m);
            }
        }
        return rest;
    }

    @Override
    public double probability(ArmPosteriors posteriors, int arm) {
        int k = posteriors.arms();
        if (k == 1) {
            return 1;
        }
        double qj = posteriors.thompsonProbability(arm);
        double challenger = 0;
        for (int i = 0; i < k; i++) {
            if (i == arm) {
                continue;
            }
            double qi = posteriors.thompsonProbability(i);
            if (qi == 0) {
                continue;
            }
            double rest = rest(posteriors, i);
            challenger += qi * (rest > 0 ? qj / rest : 1.0 / (k - 1));
        }
        return beta * qj + (1 - beta) * challenger;
    }

    @Override
    public boolean exact() {
        return false;
    }
}
