package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * Decides an arm from a posterior snapshot: burn-in first, then the policy mixed with a uniform floor.
 *
 * <ul>
 *   <li>Burn-in: while any arm has fewer than {@code burnIn} observations, every arm has probability
 *       1/k (exact).</li>
 *   <li>Floor f (min_arm_share): with probability k·f a uniformly random arm, otherwise the policy's
 *       arm. So every arm's probability is exactly
 *       <pre>  p_i = f + (1 − k·f) · p_policy(i)</pre>
 *       and never below f. The propensity is exact when the policy's is, and otherwise carries the
 *       quadrature error of p_policy scaled by (1 − k·f).</li>
 * </ul>
 * Stateless and thread-safe; randomness only from the caller's seeded generator.
 */
public final class BanditAllocator {
    private final BanditPolicy policy;
    private final BanditSettings settings;

    public BanditAllocator(BanditPolicy policy, BanditSettings settings) {
        this.policy = policy;
        this.settings = settings;
    }

    public BanditPolicy policy() {
        return policy;
    }

    public BanditSettings settings() {
        return settings;
    }

    /** The arm and its propensity. */
    public Decision decide(ArmPosteriors posteriors, SplittableRandom rng) {
        int k = posteriors.arms();
        if (inBurnIn(posteriors)) {
            return new Decision(rng.nextInt(k), 1.0 / k, true);
        }
        int arm = chooseAfterBurnIn(posteriors, rng);
        return new Decision(arm, mix(k, policy.probability(posteriors, arm)), policy.exact());
    }

    /** The arm only, skipping the propensity (simulation, where nobody logs it). Same distribution as {@link #decide}. */
    public int choose(ArmPosteriors posteriors, SplittableRandom rng) {
        if (inBurnIn(posteriors)) {
            return rng.nextInt(posteriors.arms());
        }
        return chooseAfterBurnIn(posteriors, rng);
    }

    /** Every arm's probability of being played from this snapshot; sums to 1. */
    public double[] allocation(ArmPosteriors posteriors) {
        int k = posteriors.arms();
        double[] p = new double[k];
        boolean burnIn = inBurnIn(posteriors);
        for (int i = 0; i < k; i++) {
            p[i] = burnIn ? 1.0 / k : mix(k, policy.probability(posteriors, i));
        }
        return p;
    }

    public boolean inBurnIn(ArmPosteriors posteriors) {
        for (int i = 0; i < posteriors.arms(); i++) {
            if (posteriors.observations(i) < settings.burnIn()) {
                return true;
            }
        }
        return false;
    }

    private int chooseAfterBurnIn(ArmPosteriors posteriors, SplittableRandom rng) {
        int k = posteriors.arms();
        double floorMass = floorMass(k);
        if (floorMass > 0 && rng.nextDouble() < floorMass) {
            return rng.nextInt(k);
        }
        return policy.choose(posteriors, rng);
    }

    private double mix(int k, double policyProbability) {
        return settings.minArmShare() + (1 - floorMass(k)) * policyProbability;
    }

    /** k·f, refused above 1 (the arms' probabilities could not all reach the floor). */
    private double floorMass(int k) {
        double floorMass = k * settings.minArmShare();
        if (floorMass > 1) {
            throw new IllegalArgumentException("min_arm_share " + settings.minArmShare() + " is too large for " + k + " arms");
        }
        return floorMass;
    }
}
