package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * A policy's own choice among the arms, before the burn-in and the minimum share that
 * {@link BanditAllocator} adds around it.
 */
public interface BanditPolicy {
    PolicyType type();

    /** The arm this policy plays given the posteriors. */
    int choose(ArmPosteriors posteriors, SplittableRandom rng);

    /** P(this policy plays {@code arm} | posteriors): exact when {@link #exact()}, else an estimate. */
    double probability(ArmPosteriors posteriors, int arm);

    /** Whether {@link #probability} is exact (closed form) rather than a Monte Carlo estimate. */
    boolean exact();

    /** The policy of that type with default parameters (ε = 0.1, top-two β = 0.5). */
    static BanditPolicy of(PolicyType type) {
        return switch (type) {
            case UNIFORM -> new UniformPolicy();
            case THOMPSON -> new ThompsonPolicy();
            case TOP_TWO -> new TopTwoThompsonPolicy(TopTwoThompsonPolicy.DEFAULT_BETA);
            case UCB1 -> new Ucb1Policy();
            case EPSILON_GREEDY -> new EpsilonGreedyPolicy(EpsilonGreedyPolicy.DEFAULT_EPSILON);
            case FIXED -> throw new IllegalArgumentException(
                    "policy 'fixed' assigns by hash (ExperimentAssigner), not by a bandit");
        };
    }
}
