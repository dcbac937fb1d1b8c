package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * UCB1 (Auer, Cesa-Bianchi and Fischer, "Finite-time analysis of the multiarmed bandit problem",
 * Machine Learning 47, 2002, Figure 1): play each arm once, then the arm maximising
 * x̄_j + √(2 ln n / n_j), where n is the total number of observations and n_j the arm's. Assumes
 * rewards in [0, 1] (conversions). Deterministic given the statistics (ties go to the lowest index), so
 * the propensity is exactly 1 for that arm and 0 for the others.
 */
public final class Ucb1Policy implements BanditPolicy {
    @Override
    public PolicyType type() {
        return PolicyType.UCB1;
    }

    @Override
    public int choose(ArmPosteriors posteriors, SplittableRandom rng) {
        return argmax(posteriors);
    }

    static int argmax(ArmPosteriors p) {
        int k = p.arms();
        long total = 0;
        for (int i = 0; i < k; i++) {
            if (p.observations(i) == 0) {
                return i;
            }
            total += p.observations(i);
        }
        double logN = Math.log(total);
        int best = 0;
        double bestIndex = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            double index = p.empiricalMean(i) + Math.sqrt(2 * logN / p.observations(i));
            if (index > bestIndex) {
                bestIndex = index;
                best = i;
            }
        }
        return best;
    }

    @Override
    public double probability(ArmPosteriors posteriors, int arm) {
        return argmax(posteriors) == arm ? 1 : 0;
    }

    @Override
    public boolean exact() {
        return true;
    }
}
