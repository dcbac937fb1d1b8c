package io.liftstream.experiments.stats.power;

/**
 * Sample size and minimum detectable effect for a {@link Design}: the smallest number of users with
 * the target power at a given lift, and the smallest lift with the target power at a given number
 * of users. Both by bisection on the design's power, which increases with either.
 */
public final class PowerPlanner {
    private static final double MAX_USERS = 1e15;

    private PowerPlanner() {}

    /**
     * Users in the experiment (all arms, not rounded) at which {@code design} reaches
     * {@code spec.power()} for a lift of {@code lift}; +∞ if more than 1e15 would be needed.
     */
    public static double usersFor(Design design, PowerSpec spec, double lift) {
        if (!(lift > 0) || !Double.isFinite(lift)) {
            throw new IllegalArgumentException("--mde must be positive, was " + lift);
        }
        if (!spec.baseline().feasible(spec.baseline().treatmentMean(Design.signed(spec, lift), spec.relative()))) {
            throw new IllegalArgumentException("a lift of " + lift + " takes the rate outside (0, 1)");
        }
        double target = spec.power();
        double lo = 4;
        if (design.power(spec, lift, lo) >= target) {
            return lo;
        }
        double hi = 8;
        while (design.power(spec, lift, hi) < target) {
            lo = hi;
            hi *= 2;
            if (hi > MAX_USERS) {
                return Double.POSITIVE_INFINITY;
            }
        }
        while (hi / lo > 1 + 1e-10) {
            double mid = Math.sqrt(lo * hi);
            if (design.power(spec, lift, mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /**
     * The smallest lift (a magnitude in the alternative's direction) that {@code design} detects
     * with {@code spec.power()} with {@code users} in the experiment; NaN when none does (a
     * relative lift's standard error grows with the lift, and a rate cannot leave (0, 1)).
     */
    public static double mdeFor(Design design, PowerSpec spec, double users) {
        if (!(users > 0) || !Double.isFinite(users)) {
            throw new IllegalArgumentException("the number of users must be positive, was " + users);
        }
        double target = spec.power();
        double max = maxLift(spec);
        double lo = 0;
        double hi = Math.min(max, largeLift(spec));
        while (design.power(spec, hi, users) < target) {
            if (hi >= max) {
                return Double.NaN;
            }
            lo = hi;
            hi = Math.min(max, 2 * hi);
            if (hi > 1e12 * largeLift(spec)) {
                return Double.NaN;
            }
        }
        while (hi - lo > 1e-12 * Math.max(hi, 1e-300)) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (design.power(spec, mid, users) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** A lift large for the metric: 1 relative, or the baseline's standard deviation absolute. */
    private static double largeLift(PowerSpec spec) {
        return spec.relative() ? 1.0 : Math.sqrt(spec.baseline().variance());
    }

    /** The largest lift a rate allows (just inside (0, 1)); +∞ for a mean metric. */
    private static double maxLift(PowerSpec spec) {
        Baseline b = spec.baseline();
        if (!b.rate()) {
            return Double.POSITIVE_INFINITY;
        }
        double room = spec.sides() == io.liftstream.experiments.stats.Sides.LESSER ? b.mean() : 1 - b.mean();
        double max = spec.relative() ? room / b.mean() : room;
        return max * (1 - 1e-9);
    }
}
