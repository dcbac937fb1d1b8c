package io.liftstream.experiments.bandit;

/**
 * A bandit decision: the arm played and the probability with which it was played (its propensity),
 * for inverse-propensity weighting later.
 *
 * @param exact whether the propensity is exact (burn-in, uniform, epsilon-greedy, UCB1) or computed by
 *              numerical integration (Thompson, top-two; see {@link ThompsonProbabilities})
 */
public record Decision(int arm, double propensity, boolean exact) {}
