package io.liftstream.experiments.bandit;

import java.util.SplittableRandom;

/**
 * Thompson sampling (Thompson, "On the likelihood that one unknown probability exceeds another in view
 * of the evidence of two samples", Biometrika 25, 1933; Agrawal and Goyal, COLT 2012, Algorithm 2 for
 * Bernoulli rewards): draw each arm's mean from its posterior and play the largest. The probability of
 * playing arm i is P(arm i's draw is the largest), computed by numerical integration per posterior
 * snapshot ({@link ThompsonProbabilities}).
 */
public final class ThompsonPolicy implements BanditPolicy {
    @Override
    public PolicyType type() {
        return PolicyType.THOMPSON;
    }

    @Override
    public int choose(ArmPosteriors posteriors, SplittableRandom rng) {
        return posteriors.sampleArgmax(rng);
    }

    @Override
    public double probability(ArmPosteriors posteriors, int arm) {
        return posteriors.thompsonProbability(arm);
    }

    @Override
    public boolean exact() {
        return false;
    }
}
