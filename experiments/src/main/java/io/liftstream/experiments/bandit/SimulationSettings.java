package io.liftstream.experiments.bandit;

import java.util.Arrays;

/**
 * A regret simulation: Bernoulli arms with known true rates, played for {@code horizon} rounds,
 * {@code runs} times.
 *
 * @param batch posteriors are refreshed every {@code batch} rounds (1: after every round), as a stream
 *              job refreshes its snapshot periodically
 * @param delay a reward becomes visible {@code delay} rounds after its decision (0: at once)
 */
public record SimulationSettings(PolicyType policy, double[] rates, long horizon, long seed, int batch, int delay,
                                 int runs, BanditSettings bandit) {
    public SimulationSettings {
        if (policy == PolicyType.FIXED) {
            throw new IllegalArgumentException("policy must be a bandit policy: uniform, thompson, top_two, ucb1 or epsilon_greedy");
        }
        if (rates == null || rates.length < 2) {
            throw new IllegalArgumentException("need at least two arms");
        }
        for (double r : rates) {
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("arm rates must be probabilities in [0, 1], got " + r);
            }
        }
        rates = rates.clone();
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be at least 1, was " + horizon);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, was " + batch);
        }
        if (delay < 0) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, was " + runs);
        }
        if (bandit.minArmShare() * rates.length > 1) {
            throw new IllegalArgumentException("min_arm_share " + bandit.minArmShare() + " is too large for "
                    + rates.length + " arms");
        }
    }

    @Override
    public double[] rates() {
        return rates.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimulationSettings s && policy == s.policy && Arrays.equals(rates, s.rates)
                && horizon == s.horizon && seed == s.seed && batch == s.batch && delay == s.delay && runs == s.runs
                && bandit.equals(s.bandit);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(rates) * 31 + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return "SimulationSettings[policy=" + policy + ", rates=" + Arrays.toString(rates) + ", horizon=" + horizon
                + ", seed=" + seed + ", batch=" + batch + ", delay=" + delay + ", runs=" + runs + ", bandit=" + bandit + "]";
    }
}
