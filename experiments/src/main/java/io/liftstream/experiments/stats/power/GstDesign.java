package io.liftstream.experiments.stats.power;

import io.liftstream.experiments.stats.Sides;
import io.liftstream.experiments.stats.sequential.LanDeMetsBoundaries;

/**
 * The engine's group sequential test: Lan–DeMets O'Brien–Fleming-type spending over {@code looks}
 * equally spaced looks, the last at the planned maximum sample size. Its power is the probability
 * of crossing a boundary at some look, by {@link GroupSequentialPower}; the maximum sample size is
 * R times the fixed-horizon one, R the inflation factor (Jennison &amp; Turnbull 2000, §2.5 and
 * table 2.3: R = 1.026 for five O'Brien–Fleming looks at α = 0.05 two-sided and 90 % power).
 *
 * @param looks number of equally spaced analyses, the last at the maximum sample size
 */
public record GstDesign(int looks) implements Design {
    /**
     * Most looks planned: the recursion costs about K^1.5 (a second per power evaluation at 100
     * looks). More looks change little: at α = 0.05 and power 0.8, R is 1.025 at 5 looks and 1.052 at 50.
     */
    public static final int MAX_LOOKS = 100;

    public GstDesign {
        if (looks < 1 || looks > MAX_LOOKS) {
            throw new IllegalArgumentException("--looks must be between 1 and " + MAX_LOOKS + ", was " + looks);
        }
    }

    @Override
    public String method() {
        return "gst";
    }

    /** Information fractions k/K of the looks. */
    public double[] fractions() {
        double[] t = new double[looks];
        for (int k = 0; k < looks; k++) {
            t[k] = (k + 1.0) / looks;
        }
        return t;
    }

    /** The Lan–DeMets boundaries on the z scale for these looks. */
    public double[] boundaries(PowerSpec spec) {
        return LanDeMetsBoundaries.boundaries(fractions(), spec.alpha(), spec.sides() == Sides.TWO);
    }

    @Override
    public double power(PowerSpec spec, double lift, double users) {
        double sum = 0;
        for (double p : crossings(spec, lift, users)) {
            sum += p;
        }
        return Math.min(1.0, sum);
    }

    /**
     * Probability of stopping first at each look, for a true lift of {@code lift}: the recursion on
     * Z_k/κ, whose boundaries are c_k/κ and drift θ/κ ({@link PowerSpec#kappa}).
     */
    public double[] crossings(PowerSpec spec, double lift, double users) {
        double kappa = spec.kappa(Design.signed(spec, lift));
        double[] c = boundaries(spec).clone();
        for (int k = 0; k < c.length; k++) {
            c[k] /= kappa;
        }
        return GroupSequentialPower.crossings(fractions(), c, spec.sides() == Sides.TWO,
                drift(spec, lift, users) / kappa);
    }

    /**
     * Expected number of users when the experiment stops at the first crossing (or at the last
     * look), for a true lift of {@code lift} and a maximum of {@code users}: Σ_k P(stop at k)·n_k.
     */
    public double expectedUsers(PowerSpec spec, double lift, double users) {
        double[] stop = crossings(spec, lift, users);
        double[] t = fractions();
        double expected = 0;
        double continuing = 1;
        for (int k = 0; k < looks - 1; k++) {
            expected += stop[k] * t[k] * users;
            continuing -= stop[k];
        }
        return expected + Math.max(0, continuing) * users;
    }

    /**
     * Inflation factor R = (θ_K/θ_1)²: the drift needed for the power at K looks over that of one
     * look, i.e. the maximum sample size over the fixed-horizon sample size (for κ = 1; with κ ≠ 1
     * the planner's ratio differs slightly).
     */
    public double inflationFactor(PowerSpec spec) {
        boolean two = spec.sides() == Sides.TWO;
        double one = GroupSequentialPower.driftForPower(new double[] {1.0},
                LanDeMetsBoundaries.boundaries(new double[] {1.0}, spec.alpha(), two), two, spec.power());
        double many = GroupSequentialPower.driftForPower(fractions(), boundaries(spec), two, spec.power());
        return (many / one) * (many / one);
    }

    private static double drift(PowerSpec spec, double lift, double users) {
        return lift / spec.se(Design.signed(spec, lift), users);
    }
}
