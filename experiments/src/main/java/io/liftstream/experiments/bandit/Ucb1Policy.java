package io.liftstream.experiments.bandit;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * UCB1 (Auer, Cesa-Bianchi and Fischer, "Finite-time analysis of the multiarmed bandit problem",
 * Machine Learning 47, 2002, Figure 1): play each arm once, then the arm maximising
 * x̄_j + √(2 ln n / n_j), where n is the total number of observations and n_j the arm's. The bonus
 * assumes rewards in [0, 1]: conversions as they are, other rewards rescaled by their declared
 * {@link RewardRange}, x̄_j → (x̄_j − min)/(max − min). (Unscaled revenue in the hundreds would make the
 * bonus irrelevant and UCB1 greedy; a definition with a continuous reward and no {@code reward_range}
 * is refused.) Deterministic given the statistics (ties go to the lowest index), so the propensity is
 * exactly 1 for that arm and 0 for the others.
 */
public final class Ucb1Policy implements BanditPolicy {
    private final RewardRange range;

    /** For rewards in [0, 1]. */
    public Ucb1Policy() {
        this(RewardRange.UNIT);
    }

    public Ucb1Policy(RewardRange range) {
        this.range = Objects.requireNonNull(range, "range");
    }

    public RewardRange range() {
        return range;
    }

    @Override
    public PolicyType type() {
        return PolicyType.UCB1;
    }

    @Override
    public int choose(ArmPosteriors posteriors, SplittableRandom rng) {
        return argmax(posteriors);
    }

    /** The arm's index (x̄_j − min)/(max − min) + √(2 ln n / n_j); +∞ while any arm is untried. */
    public double index(ArmPosteriors p, int arm) {
        long total = 0;
        for (int i = 0; i < p.arms(); i++) {
            if (p.observations(i) == 0) {
                return Double.POSITIVE_INFINITY;
            }
            total += p.observations(i);
        }
        return index(p, arm, Math.log(total));
    }

    private double index(ArmPosteriors p, int arm, double logN) {
        return range.normalise(p.empiricalMean(arm)) + Math.sqrt(2 * logN / p.observations(arm));
    }

    int argmax(ArmPosteriors p) {
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
            double index = index(p, i, logN);
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
