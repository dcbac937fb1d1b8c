package io.liftstream.experiments.stats.power;

import java.util.function.DoubleUnaryOperator;

/**
 * Sample size and minimum detectable effect for a {@link Design}: the smallest number of users with
 * the target power at a given lift, and the smallest lift with the target power at a given number
 * of users. Both by root finding ({@link Roots}) on the design's power, which increases with either.
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
        DoubleUnaryOperator f = logUsers -> design.power(spec, lift, Math.exp(logUsers)) - target;
        double lo = Math.log(4);
        double flo = f.applyAsDouble(lo);
        if (flo >= 0) {
            return 4;
        }
        // Start from the fixed design's size (the others need a little more), then widen.
        double guess = design instanceof FixedDesign ? 64 : usersFor(new FixedDesign(), spec, lift);
        double hi = Math.log(Math.max(8, guess));
        double fhi;
        while ((fhi = f.applyAsDouble(hi)) < 0) {
            lo = hi;
            flo = fhi;
            hi += Math.log(2);
            if (hi > Math.log(MAX_USERS)) {
                return Double.POSITIVE_INFINITY;
            }
        }
        if (hi - Math.log(2) > lo) {
            double mid = hi - Math.log(2);
            double fmid = f.applyAsDouble(mid);
            if (fmid < 0) {
                lo = mid;
                flo = fmid;
            } else {
                hi = mid;
                fhi = fmid;
                while (hi - Math.log(2) > lo && (fmid = f.applyAsDouble(hi - Math.log(2))) >= 0) {
                    hi -= Math.log(2);
                    fhi = fmid;
                }
                if (hi - Math.log(2) > lo) {
                    lo = hi - Math.log(2);
                    flo = fmid;
                }
            }
        }
        return Math.exp(Roots.increasing(f, lo, flo, hi, fhi, 1e-10));
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
        DoubleUnaryOperator f = lift -> design.power(spec, lift, users) - target;
        double max = maxLift(spec);
        double lo = 0;
        double flo = -target; // no lift, no power beyond α
        // Up from small lifts: near a rate of 0 or 1 the normal approximation (and κ) fails and the
        // power can fall again, so the first lift that reaches the power is the one wanted.
        double hi = Math.min(max, largeLift(spec) / 64);
        double fhi;
        while ((fhi = f.applyAsDouble(hi)) < 0) {
            if (hi >= max || hi > 1e12 * largeLift(spec)) {
                return Double.NaN;
            }
            lo = hi;
            flo = fhi;
            hi = Math.min(max, 1.5 * hi);
        }
        return Roots.increasing(f, lo, flo, hi, fhi, 1e-12 * hi);
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
