package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * An immutable snapshot of every arm's posterior for one experiment: what a policy reads to decide.
 * The decision side builds one from the merged sufficient statistics whenever they change (the decision
 * job: at most every second), then serves many decisions from it.
 *
 * <p>The probability that Thompson sampling picks each arm has no closed form for more than two arms,
 * so it is estimated once per snapshot by Monte Carlo ({@link ThompsonProbabilities}) and memoised: a
 * decision then costs k posterior draws plus a lookup. The Monte Carlo seed is derived from the
 * snapshot's content, so equal snapshots give equal estimates, whatever the call order.
 */
public abstract class ArmPosteriors {
    private volatile double[] thompson;

    public abstract int arms();

    /** Rewards observed for the arm (the burn-in counts these). */
    public abstract long observations(int arm);

    /** The arm's observed mean reward x̄ (0 with no observations): what UCB1 and greedy rank by. */
    public abstract double empiricalMean(int arm);

    /** One draw of the arm's mean reward from its posterior. */
    public abstract double sample(int arm, SplittableRandom rng);

    /** A hash of the posterior parameters, for seeding the Monte Carlo estimate reproducibly. */
    protected abstract long contentHash();

    /** The index of the largest posterior draw (lowest index among ties). */
    public final int sampleArgmax(SplittableRandom rng) {
        int best = 0;
        double bestValue = sample(0, rng);
        for (int i = 1, k = arms(); i < k; i++) {
            double v = sample(i, rng);
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    /** P(arm has the largest posterior draw), estimated with {@link ThompsonProbabilities#DEFAULT_DRAWS} draws. */
    public final double thompsonProbability(int arm) {
        return thompsonProbabilities0()[arm];
    }

    /** All arms' Thompson probabilities (a copy); they sum to 1. */
    public final double[] thompsonProbabilities() {
        return thompsonProbabilities0().clone();
    }

    private double[] thompsonProbabilities0() {
        double[] q = thompson;
        if (q == null) {
            // A benign race: two threads may both compute it, with the same seed and hence the same result.
            q = ThompsonProbabilities.estimate(this, ThompsonProbabilities.DEFAULT_DRAWS,
                    ThompsonProbabilities.SEED ^ contentHash());
            thompson = q;
        }
        return q;
    }

    static long mix(long h, double v) {
        return (h ^ Double.doubleToLongBits(v)) * 0x9E3779B97F4A7C15L;
    }
}
