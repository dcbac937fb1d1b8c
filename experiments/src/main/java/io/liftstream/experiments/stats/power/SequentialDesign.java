package io.liftstream.experiments.stats.power;

import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.sequential.ConfidenceSequence;
import io.liftstream.experiments.stats.sequential.SequentialConfig;

/**
 * The engine's asymptotic confidence sequence ({@link ConfidenceSequence}, tuned at N*): the power
 * is the probability that the sequence excludes 0 at the planned sample size,
 * Φ̄((h(n) − δ)/SE), with h(n) its half-width for n = n_C + n_T. This is the planning rule "the
 * half-width at power reaches the effect": δ = h(n) + z_power·SE(n).
 *
 * <p>The engine's p-value is the running minimum over looks, so a sequence that excluded 0 at an
 * earlier look also counts: monitored along the way, the chance of a significant result by n is
 * at least this (the plan is conservative; {@code PowerPlannerTest} measures both).
 *
 * <p>gbstats' power calculator treats the same sequence differently: it inflates the standard
 * error to h(n)/z_{1−α/2} and computes a fixed-horizon power with it, which understates the power
 * of the sequence at n (the estimate's spread is SE, not the inflated one).
 */
public record SequentialDesign(SequentialConfig config) implements Design {

    @Override
    public String method() {
        return "sequential";
    }

    @Override
    public double power(PowerSpec spec, double lift, double users) {
        boolean two = spec.sides() == Sides.TWO;
        double signed = Design.signed(spec, lift);
        double se = spec.se(signed, users);
        return Design.beyond(halfWidth(spec, se, users), lift, se, spec.kappa(signed), two);
    }

    /** The sequence's half-width at {@code users} in the experiment for a lift estimate with this SE. */
    public double halfWidth(PowerSpec spec, double se, double users) {
        boolean two = spec.sides() == Sides.TWO;
        long n = Math.max(1, Math.round(users * spec.pairFraction()));
        double s2 = se * se * n;
        double rho = ConfidenceSequence.rho(spec.alpha(), config.tuning(), two);
        return two ? ConfidenceSequence.halfWidthTwoSided(s2, n, rho, spec.alpha())
                : ConfidenceSequence.halfWidthOneSided(s2, n, rho, spec.alpha());
    }

    /**
     * The tuning N* (total of the two compared arms) that needs the fewest users to detect
     * {@code lift}: the sequence is tightest near N*, so the best N* is close to the planned size
     * itself. Golden-section search on ln N* over [10², 10¹²].
     */
    public static double bestTuningForLift(PowerSpec spec, double lift) {
        return argMin(tuning -> PowerPlanner.usersFor(new SequentialDesign(new SequentialConfig(tuning)), spec, lift));
    }

    /** The tuning N* with the smallest MDE for {@code users} in the experiment. */
    public static double bestTuningForUsers(PowerSpec spec, double users) {
        return argMin(tuning -> {
            double mde = PowerPlanner.mdeFor(new SequentialDesign(new SequentialConfig(tuning)), spec, users);
            return Double.isNaN(mde) ? Double.POSITIVE_INFINITY : mde;
        });
    }

    private static double argMin(java.util.function.DoubleUnaryOperator f) {
        double g = (Math.sqrt(5) - 1) / 2;
        double a = Math.log(1e2);
        double b = Math.log(1e12);
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = f.applyAsDouble(Math.exp(c));
        double fd = f.applyAsDouble(Math.exp(d));
        while (b - a > 1e-4) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = f.applyAsDouble(Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = f.applyAsDouble(Math.exp(d));
            }
        }
        return Math.exp(0.5 * (a + b));
    }
}
