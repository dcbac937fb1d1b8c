package io.liftstream.experiments.stats.sequential;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.Inference;
import io.liftstream.experiments.stats.Sides;

/**
 * Group sequential test with Lan–DeMets O'Brien–Fleming-type alpha spending for a planned maximum
 * sample size: the method to use when the horizon is known (Spotify's recommendation in
 * "Choosing a sequential testing framework", 2023), because it spends almost no alpha early and
 * keeps nearly the power of a fixed-horizon test at the end.
 *
 * <p>At the current look K (the last of {@link GstPlan#looks()}), with z = Δ̂/SE:
 * <ul>
 *   <li>significant when z crosses the boundary c_K of {@link LanDeMetsBoundaries} (|z| for two
 *       sides);</li>
 *   <li>interval: the repeated confidence interval Δ̂ ± c_K·SE (Jennison &amp; Turnbull 2000, ch. 9,
 *       eq. 9.1), which covers the true lift simultaneously over all looks with probability ≥ 1 − α;
 *       one-sided tests open the other end;</li>
 *   <li>p-value: the nominal (fixed-sample, normal) p-value of z at this look. It is not an
 *       always-valid p-value; the decision is {@code significant}, i.e. the boundary.</li>
 * </ul>
 * With several treatments sharing a control, call it with {@link #perComparisonAlpha}: boundary,
 * interval and {@code significant} then all use the split level, so significant ⇔ the interval
 * excludes 0 and the family-wise error is at most α.
 *
 * <p>Information n_k / max_n above 1 (the plan overrun) is used as it is; the first look at or past
 * max_n is the final analysis and spends what remains of α, later looks have an infinite boundary
 * (not significant, unbounded interval): the test is over (see {@link LanDeMetsBoundaries}).
 *
 * <p>The test is stateless: a look that crossed earlier should have stopped the experiment.
 */
public final class GroupSequentialTest {
    private GroupSequentialTest() {}

    /**
     * The level each of {@code comparisons} treatment–control comparisons spends so that the
     * family-wise error of their decisions is at most α: Bonferroni-split spending, α / comparisons
     * (each comparison's boundaries are those of a test at that level; with a shared control the
     * comparisons are positively correlated, so this is conservative, never anti-conservative).
     */
    public static double perComparisonAlpha(double alpha, int comparisons) {
        return comparisons > 1 ? alpha / comparisons : alpha;
    }

    public static Inference test(Effect effect, Sides sides, double alpha, GstPlan plan) {
        double[] fractions = plan.fractions();
        double boundary = LanDeMetsBoundaries.lastBoundary(fractions, alpha, sides == Sides.TWO);
        double se = effect.se();
        double est = effect.estimate();
        double z = est / se;
        double hw = boundary * se;
        switch (sides) {
            case GREATER:
                return new Inference(Distributions.normalSf(z), Double.isFinite(hw) ? est - hw : Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY, z >= boundary);
            case LESSER:
                return new Inference(Distributions.normalCdf(z), Double.NEGATIVE_INFINITY,
                        Double.isFinite(hw) ? est + hw : Double.POSITIVE_INFINITY, -z >= boundary);
            default:
                return new Inference(Math.min(1.0, 2 * Distributions.normalSf(Math.abs(z))),
                        Double.isFinite(hw) ? est - hw : Double.NEGATIVE_INFINITY,
                        Double.isFinite(hw) ? est + hw : Double.POSITIVE_INFINITY, Math.abs(z) >= boundary);
        }
    }
}
