package io.liftstream.experiments.stats.sequential;

import io.liftstream.experiments.stats.Effect;
import io.liftstream.experiments.stats.Inference;
import io.liftstream.experiments.stats.Sides;

/**
 * Mixture sequential probability ratio test (mSPRT) with a normal mixing distribution, after Johari,
 * Pekelis and Walsh (2017), "Always valid inference: bringing sequential analysis to A/B testing",
 * arXiv:1512.04922 (Operations Research 2022, with Koomen).
 *
 * <p>The lift estimate Δ̂ is treated as Gaussian with variance V = SE² (for two arms V =
 * σ²_T/n_T + σ²_C/n_C, or its delta-method analogue for a relative lift). Mixing the alternative
 * θ ~ N(θ₀, τ²) gives the mixture likelihood ratio in closed form (their normal-mixture Λ_n, with
 * σ²/n replaced by V):
 * <pre>  Λ(θ₀) = √(V / (V + τ²)) · exp( τ² (Δ̂ − θ₀)² / (2 V (V + τ²)) )</pre>
 * Λ(θ₀) is a nonnegative martingale under θ₀, so by Ville's inequality
 * <ul>
 *   <li>the always-valid p-value is p_n = min(p_{n−1}, 1/Λ_n(0)) — the running minimum, which is
 *       why the API takes the previous p-value;</li>
 *   <li>the always-valid confidence interval is {θ : Λ_n(θ) &lt; 1/α}, i.e.
 *       Δ̂ ± √( 2V(V + τ²)/τ² · ln(√((V + τ²)/V) / α) ). JPW intersect these over time; this API
 *       keeps no interval state and returns the current one, which is itself valid (and wider).</li>
 * </ul>
 * The test is two-sided: the normal mixture is symmetric about θ₀. For one-sided alternatives the
 * p-value is set to 1 when the estimate points the other way and the interval is opened on the
 * unneeded side; the error bound stays ≤ α (it is the two-sided procedure restricted to one sign).
 *
 * <p>τ² is on the scale of the lift (relative or absolute) and must not change during an experiment.
 */
public final class MixtureSprt {
    private MixtureSprt() {}

    /** ln Λ(θ₀) for estimate {@code est} with variance {@code v} under mixing variance {@code tau2}. */
    public static double logLikelihoodRatio(double est, double v, double tau2, double theta0) {
        double d = est - theta0;
        return 0.5 * Math.log(v / (v + tau2)) + tau2 * d * d / (2 * v * (v + tau2));
    }

    /** Half-width of {θ : Λ(θ) &lt; 1/α}. */
    public static double halfWidth(double v, double tau2, double alpha) {
        return Math.sqrt(2 * v * (v + tau2) / tau2 * Math.log(Math.sqrt((v + tau2) / v) / alpha));
    }

    /**
     * @param previousPValue the p-value returned at the previous look (1 at the first look)
     */
    public static Inference test(Effect effect, Sides sides, double alpha, double tau2, double previousPValue) {
        double est = effect.estimate();
        double v = effect.variance();
        double logLr = logLikelihoodRatio(est, v, tau2, 0.0);
        double current = logLr <= 0 ? 1.0 : Math.exp(-logLr);
        boolean rightDirection = sides == Sides.TWO || (sides == Sides.GREATER ? est > 0 : est < 0);
        if (!rightDirection) {
            current = 1.0;
        }
        double p = Math.min(Inference.clamp(previousPValue), current);
        double hw = halfWidth(v, tau2, alpha);
        double lower = sides == Sides.LESSER ? Double.NEGATIVE_INFINITY : est - hw;
        double upper = sides == Sides.GREATER ? Double.POSITIVE_INFINITY : est + hw;
        return Inference.byPValue(p, lower, upper, alpha);
    }
}
