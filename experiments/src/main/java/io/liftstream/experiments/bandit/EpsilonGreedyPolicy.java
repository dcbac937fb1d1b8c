package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * Epsilon-greedy (Sutton and Barto, Reinforcement Learning, 2nd ed., 2018, §2.2): with probability ε
 * a uniformly random arm, otherwise the arm with the best observed mean (untried arms first, ties to
 * the lowest index). Exact propensities: 1 − ε + ε/k for the greedy arm, ε/k for the others. Its
 * regret grows linearly (ε·T·mean gap): the comparison point for Thompson sampling.
 */
public final class EpsilonGreedyPolicy implements BanditPolicy {
    public static final double DEFAULT_EPSILON = 0.1;

    private final double epsilon;

    public EpsilonGreedyPolicy(double epsilon) {
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("epsilon must be in [0, 1], was " + epsilon);
        }
        this.epsilon = epsilon;
    }

    @Override
    public PolicyType type() {
        return PolicyType.EPSILON_GREEDY;
    }

    @Override
    public int choose(ArmPosteriors posteriors, SplittableRandom rng) {
        if (rng.nextDouble() < epsilon) {
            return rng.nextInt(posteriors.arms());
        }
        return greedy(posteriors);
    }

    static int greedy(ArmPosteriors p) {
        int best = 0;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.arms(); i++) {
            if (p.observations(i) == 0) {
                return i;
            }
            if (p.empiricalMean(i) > bestMean) {
                bestMean = p.empiricalMean(i);
                best = i;
            }
        }
        return best;
    }

    @Override
    public double probability(ArmPosteriors posteriors, int arm) {
        double explore = epsilon / posteriors.arms();
        return greedy(posteriors) == arm ? 1 - epsilon + explore : explore;
    }

    @Override
    public boolean exact() {
        return true;
    }
}
