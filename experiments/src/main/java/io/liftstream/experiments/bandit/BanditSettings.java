package io.liftstream.experiments.bandit;

/**
 * What {@link BanditAllocator} adds around a policy.
 *
 * @param minArmShare the floor f: every arm gets at least this probability; k·f ≤ 1. Default 1%.
 * @param burnIn      uniform allocation until every arm has this many observations. Default 100.
 */
public record BanditSettings(double minArmShare, int burnIn) {
    public static final double DEFAULT_MIN_ARM_SHARE = 0.01;
    public static final int DEFAULT_BURN_IN = 100;
    public static final BanditSettings DEFAULTS = new BanditSettings(DEFAULT_MIN_ARM_SHARE, DEFAULT_BURN_IN);
    /** Neither floor nor burn-in: the bare policy, as analysed in the literature. */
    public static final BanditSettings NONE = new BanditSettings(0, 0);

    public BanditSettings {
        if (!(minArmShare >= 0 && minArmShare < 1)) {
            throw new IllegalArgumentException("min_arm_share must be in [0, 1), was " + minArmShare);
        }
        if (burnIn < 0) {
            throw new IllegalArgumentException("burn_in must not be negative, was " + burnIn);
        }
    }
}
