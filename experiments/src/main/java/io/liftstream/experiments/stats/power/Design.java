package io.liftstream.experiments.stats.power;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Sides;

/**
 * A testing method as the engine runs it, seen from before the experiment: the probability that it
 * declares a lift of a given size significant with a given number of users.
 *
 * <p>Lifts are magnitudes in the direction of the alternative: for {@link Sides#LESSER} a lift of
 * 0.05 means the treatment is 5 % lower; for {@link Sides#TWO} it is planned as an increase (a
 * relative decrease of the same size has a slightly smaller variance).
 */
public sealed interface Design permits FixedDesign, SequentialDesign, MsprtDesign, GstDesign {

    /** The method's name as the CLI and the analysis spell it: fixed, sequential, msprt, gst. */
    String method();

    /**
     * Probability of a significant result for a lift of {@code lift} (&gt; 0) with {@code users}
     * users in the experiment (all arms).
     */
    double power(PowerSpec spec, double lift, double users);

    /** The lift with its sign: negative for {@link Sides#LESSER}. */
    static double signed(PowerSpec spec, double lift) {
        return spec.sides() == Sides.LESSER ? -lift : lift;
    }

    /**
     * Probability that the engine rejects at a rejection half-width {@code halfWidth} (on the lift's
     * scale, proportional to the estimated SE): z = Δ̂/SE^ is about N(θ, κ²), θ = δ/se
     * ({@link PowerSpec#kappa}), so the power is Φ̄((h/se − θ)/κ), plus Φ((−h/se − θ)/κ) on the
     * wrong side for two-sided tests (with κ = 1, gbstats' {@code powerFrequentist}).
     */
    static double beyond(double halfWidth, double lift, double se, double kappa, boolean twoSided) {
        double b = halfWidth / se;
        double theta = lift / se;
        double p = Distributions.normalSf((b - theta) / kappa);
        if (twoSided) {
            p += Distributions.normalCdf((-b - theta) / kappa);
        }
        return p;
    }
}
