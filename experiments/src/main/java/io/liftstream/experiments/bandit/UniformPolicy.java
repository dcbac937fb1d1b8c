package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/** Every arm with probability 1/k: the baseline a bandit must beat, and the burn-in allocation. */
public final class UniformPolicy implements BanditPolicy {
    @Override
    public PolicyType type() {
        return PolicyType.UNIFORM;
    }

    @Override
    public int choose(ArmPosteriors posteriors, SplittableRandom rng) {
        return rng.nextInt(posteriors.arms());
    }

    @Override
    public double probability(ArmPosteriors posteriors, int arm) {
        return 1.0 / posteriors.arms();
    }

    @Override
    public boolean exact() {
        return true;
    }
}
