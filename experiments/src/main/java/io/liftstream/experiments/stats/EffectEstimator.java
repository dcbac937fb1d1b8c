package io.liftstream.experiments.stats;

/**
 * Point estimate and variance of the lift between two arms, shared by every paradigm.
 *
 * <ul>
 *   <li>Absolute lift Δ = μ_T − μ_C with Var = σ²_T/n_T + σ²_C/n_C.</li>
 *   <li>Relative lift Δ/|μ_C| by the delta method (e.g. Deng, Knoblich, Lu 2018, "Applying the
 *       Delta Method in Metric Analytics", eq. 3 for a ratio of independent means):
 *       Var ≈ σ²_T/(μ_C² n_T) + μ_T² σ²_C/(μ_C⁴ n_C). Means in the variance are the unadjusted
 *       means, as gbstats' {@code frequentist_variance} does, so CUPED only changes σ².</li>
 *   <li>Welch (1947) / Satterthwaite (1946) degrees of freedom:
 *       df = (v_T + v_C)² / (v_T²/(n_T − 1) + v_C²/(n_C − 1)), v = σ²/n.</li>
 * </ul>
 * The sign convention follows gbstats: the relative lift divides by μ_C (a negative control mean
 * is divided by its absolute value so that "positive" still means "treatment higher").
 */
public final class EffectEstimator {
    /** Below this |μ_C| a relative lift is reported as {@link Status#ZERO_CONTROL_MEAN} (as gbstats: 1e-10). */
    static final double ZERO_MEAN = 1e-10;

    private EffectEstimator() {}

    public static Effect estimate(ArmMoments control, ArmMoments treatment, boolean relative) {
        long totalN = control.n() + treatment.n();
        if (control.n() < 2 || treatment.n() < 2) {
            return Effect.failed(Status.TOO_FEW_UNITS, totalN, relative);
        }
        if (!finite(control) || !finite(treatment)) {
            return Effect.failed(Status.NUMERIC_OVERFLOW, totalN, relative);
        }
        if (relative && Math.abs(control.unadjustedMean()) < ZERO_MEAN) {
            return Effect.failed(Status.ZERO_CONTROL_MEAN, totalN, true);
        }
        double vT = treatment.variance() / treatment.n();
        double vC = control.variance() / control.n();
        if (vT <= 0 || vC <= 0) {
            // As gbstats (BaseABTest._has_zero_variance: either arm): with one arm constant (no
            // conversion yet, say) the normal approximation has no spread to go by; a relative lift
            // of −100 % would otherwise get a zero standard error and a p-value of 0.
            return Effect.failed(Status.ZERO_VARIANCE, totalN, relative);
        }
        double df = (vT + vC) * (vT + vC)
                / (vT * vT / (treatment.n() - 1) + vC * vC / (control.n() - 1));
        double diff = treatment.mean() - control.mean();
        double estimate;
        double variance;
        if (relative) {
            double base = control.unadjustedMean();
            double b2 = base * base;
            double muT = treatment.unadjustedMean();
            estimate = diff / Math.abs(base);
            variance = vT / b2 + muT * muT * vC / (b2 * b2);
        } else {
            estimate = diff;
            variance = vT + vC;
        }
        if (!Double.isFinite(estimate) || !Double.isFinite(variance) || !Double.isFinite(df)) {
            return Effect.failed(Status.NUMERIC_OVERFLOW, totalN, relative);
        }
        return new Effect(Status.OK, estimate, variance, df, totalN, relative);
    }

    private static boolean finite(ArmMoments a) {
        return Double.isFinite(a.mean()) && Double.isFinite(a.variance()) && Double.isFinite(a.unadjustedMean());
    }
}
