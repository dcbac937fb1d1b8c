package io.liftstream.experiments.bandit;

/**
 * The declared range [min, max] of a reward (JSON {@code reward_range: [min, max]}): UCB1's bonus
 * √(2 ln n / n_j) assumes rewards in [0, 1] (Auer et al. 2002, Theorem 1, from Hoeffding's inequality),
 * so UCB1 ranks the rescaled mean (x̄ − min)/(max − min). Rewards outside the range (revenue above
 * max) void the guarantee: cap them upstream, or declare a wider range. {@link #UNIT} is conversions.
 */
public record RewardRange(double min, double max) {
    public static final RewardRange UNIT = new RewardRange(0, 1);

    public RewardRange {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
            throw new IllegalArgumentException("reward_range must be [min, max] with finite min < max, was ["
                    + min + ", " + max + "]");
        }
    }

    /** x rescaled to the unit interval: (x − min)/(max − min). */
    public double normalise(double x) {
        return (x - min) / (max - min);
    }
}
