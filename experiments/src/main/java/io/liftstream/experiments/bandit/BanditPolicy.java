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

    /** P(this policy plays {@code arm} | posteriors): exact when {@link #exact()}, else by quadrature. */
    double probability(ArmPosteriors posteriors, int arm);

    /**
     * Whether {@link #probability} is exact (closed form) rather than computed by numerical integration
     * (Thompson and top-two: {@link ThompsonProbabilities}, error far below Monte Carlo noise).
     */
    boolean exact();

    /** The policy of that type with default parameters (ε = 0.1, top-two β = 0.5, rewards in [0, 1]). */
    static BanditPolicy of(PolicyType type) {
        return of(type, RewardRange.UNIT);
    }

    /** As {@link #of(PolicyType)}, with the rewards' declared range (read by UCB1 only); null means [0, 1]. */
    static BanditPolicy of(PolicyType type, RewardRange rewardRange) {
        return switch (type) {
            case UNIFORM -> new UniformPolicy();
            case THOMPSON -> new ThompsonPolicy();
            case TOP_TWO -> new TopTwoThompsonPolicy(TopTwoThompsonPolicy.DEFAULT_BETA);
            case UCB1 -> new Ucb1Policy(rewardRange == null ? RewardRange.UNIT : rewardRange);
            case EPSILON_GREEDY -> new EpsilonGreedyPolicy(EpsilonGreedyPolicy.DEFAULT_EPSILON);
            case FIXED -> throw new IllegalArgumentException(
                    "policy 'fixed' assigns by hash (ExperimentAssigner), not by a bandit");
        };
    }
}
