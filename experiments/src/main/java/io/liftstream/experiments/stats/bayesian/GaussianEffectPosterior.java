package io.liftstream.experiments.stats.bayesian;

import io.liftstream.experiments.stats.Distributions;
import io.liftstream.experiments.stats.Effect;

/**
 * Gaussian posterior on the lift, as gbstats' {@code EffectBayesianABTest} (GrowthBook's Bayesian
 * engine since 2024): the likelihood of the lift is N(Δ̂, SE²) (absolute, or delta-method relative,
 * see {@code EffectEstimator}); with a proper N(μ₀, σ₀²) prior the posterior is the conjugate
 * normal (e.g. Gelman et al., "Bayesian Data Analysis", 3rd ed., eq. 2.12):
 * <pre>  precision = 1/SE² + 1/σ₀²,  mean = (Δ̂/SE² + μ₀/σ₀²) / precision</pre>
 * and with a flat prior it is N(Δ̂, SE²).
 *
 * <ul>
 *   <li>chance to beat control P(lift &gt; 0) = Φ(mean/sd);</li>
 *   <li>credible interval mean ± Φ⁻¹(1 − α/2)·sd;</li>
 *   <li>risk (expected loss, Stucchio 2015 / gbstats {@code get_risk}) on both sides:
 *       [E max(lift, 0), E max(−lift, 0)] — what is lost by keeping control, and by shipping the
 *       treatment. For X ~ N(m, s²): E max(X, 0) = m Φ(m/s) + s φ(m/s).</li>
 * </ul>
 */
public final class GaussianEffectPosterior {
    private GaussianEffectPosterior() {}

    public record Posterior(double mean, double sd, double chanceToWin, double ciLower, double ciUpper,
            double riskControl, double riskTreatment) {}

    public static Posterior posterior(Effect effect, EffectPrior prior, double alpha) {
        double dataVar = effect.variance();
        double mean;
        double var;
        if (prior.proper()) {
            double precision = 1 / dataVar + 1 / prior.variance();
            mean = (effect.estimate() / dataVar + prior.mean() / prior.variance()) / precision;
            var = 1 / precision;
        } else {
            mean = effect.estimate();
            var = dataVar;
        }
        double sd = Math.sqrt(var);
        double z = mean / sd;
        double w = Distributions.normalQuantile(1 - alpha / 2) * sd;
        double positive = expectedPositivePart(mean, sd);
        double negative = expectedPositivePart(-mean, sd);
        return new Posterior(mean, sd, Distributions.normalCdf(z), mean - w, mean + w, positive, negative);
    }

    /** E max(X, 0) for X ~ N(m, s²) = m Φ(m/s) + s φ(m/s). */
    static double expectedPositivePart(double m, double s) {
        double z = m / s;
        return m * Distributions.normalCdf(z) + s * Distributions.normalPdf(z);
    }
}
