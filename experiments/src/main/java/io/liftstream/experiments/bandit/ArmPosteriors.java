package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * An immutable snapshot of every arm's posterior for one experiment: what a policy reads to decide.
 * The decision side builds one from the merged sufficient statistics whenever they change (the decision
 * job: at most every second), then serves many decisions from it.
 *
 * <p>The probability that Thompson sampling picks each arm has no closed form for more than two arms,
 * so it is computed once per snapshot by numerical integration of each arm's marginal posterior
 * distribution function ({@link ThompsonProbabilities}) and memoised: a decision then costs k posterior
 * draws plus a lookup. The computation is deterministic, so equal snapshots give equal probabilities.
 */
public abstract class ArmPosteriors {
    private volatile ThompsonProbabilities thompson;

    public abstract int arms();

    /** Rewards observed for the arm (the burn-in counts these). */
    public abstract long observations(int arm);

    /** The arm's observed mean reward x̄ (0 with no observations): what UCB1 and greedy rank by. */
    public abstract double empiricalMean(int arm);

    /** One draw of the arm's mean reward from its posterior. */
    public abstract double sample(int arm, SplittableRandom rng);

    /** P(arm's mean ≤ x) under its marginal posterior: what the Thompson probabilities integrate. */
    public abstract double cdf(int arm, double x);

    /** A central value of the arm's marginal posterior (its mean or location): where the quadrature grid is centred. */
    public abstract double location(int arm);

    /** A width of the arm's marginal posterior (sd or scale), positive: the quadrature grid's unit. */
    public abstract double spread(int arm);

    /** Lower end of every arm's support (−∞ unless bounded, e.g. 0 for a rate). */
    public double supportMin() {
        return Double.NEGATIVE_INFINITY;
    }

    /** Upper end of every arm's support (+∞ unless bounded, e.g. 1 for a rate). */
    public double supportMax() {
        return Double.POSITIVE_INFINITY;
    }

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

    /** P(arm has the largest posterior draw), by numerical integration ({@link ThompsonProbabilities}). */
    public final double thompsonProbability(int arm) {
        return thompson().q(arm);
    }

    /** All arms' Thompson probabilities (a copy); they sum to 1. */
    public final double[] thompsonProbabilities() {
        double[] q = new double[arms()];
        for (int i = 0; i < q.length; i++) {
            q[i] = thompson().q(i);
        }
        return q;
    }

    /** The Thompson and runner-up probabilities of this snapshot, computed once and memoised. */
    public final ThompsonProbabilities thompson() {
        ThompsonProbabilities t = thompson;
        if (t == null) {
            // A benign race: two threads may both compute it, deterministically and hence with the same result.
            t = ThompsonProbabilities.of(this);
            thompson = t;
        }
        return t;
    }
}
