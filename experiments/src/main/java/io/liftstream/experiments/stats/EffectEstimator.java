package io.liftstream.experiments.stats;

/**
 * Point estimate and variance of the lift between two arms, shared by every paradigm.
 *
 * <ul>
 *   <li>Absolute lift Δ = μ_T − μ_C with Var = σ²_T/n_T + σ²_C/n_C.</li>
 *   <li>Relative lift Δ/|μ_C| by the delta method (e.g. Deng, Knoblich, Lu 2018, "Applying the
 *       Delta Method in Metric Analytics", eq. 3 for a ratio of independent means):
 *       Var ≈ σ²_T/(μ_C² n_T) + μ_T² σ²_C/(μ_C⁴ n_C), μ the unadjusted means.</li>
 *   <li>Relative lift with CUPED: the estimate is (Ȳ_T − θX̄_T − Ȳ_C + θX̄_C)/|Ȳ_C|, and the
 *       unadjusted control mean Ȳ_C in the denominator is correlated with the adjusted control mean
 *       in the numerator. The delta method on (Ȳ_T, X̄_T, Ȳ_C, X̄_C) with θ fixed, the gradient in
 *       Ȳ_C taken as −r/|Ȳ_C| with r = Ȳ_T/Ȳ_C, gives (as gbstats'
 *       {@code frequentist_variance_relative_cuped}; Deng et al. 2018, §3.3)
 *       <pre>  Var ≈ Var(Y_T − θX_T)/(n_T Ȳ_C²) + (r² Var Y_C − 2rθ Cov(Y_C, X_C) + θ² Var X_C)/(n_C Ȳ_C²)</pre>
 *       which is the plain formula when θ = 0. Scaling the whole adjusted control variance by r²
 *       instead (the old formula) is anti-conservative for r &lt; 1 and conservative for r &gt; 1.</li>
 *   <li>Welch (1947) / Satterthwaite (1946) degrees of freedom:
 *       df = (v_T + v_C)² / (v_T²/(n_T − 1) + v_C²/(n_C − 1)), v = σ²/n.</li>
 * </ul>
 * The sign convention follows gbstats: the relative lift divides by μ_C (a negative control mean
 * is divided by its absolute value so that "positive" still means "treatment higher").
 */
public final class EffectEstimator {
    /** Below this |μ_C| a relative lift is reported as {@link Status#ZERO_CONTROL_MEAN} (as gbstats: 1e-10). */
    static final double ZERO_MEAN = 1e-10;
    /**
     * Fieller's g = (z₀.₉₇₅ · se(Ȳ_C)/|Ȳ_C|)² at or above which a relative lift is
     * {@link Status#RELATIVE_LIFT_UNRELIABLE}: see {@link #fiellerG}.
     */
    public static final double UNRELIABLE_G = 0.1;
    private static final double Z_975 = 1.959963984540054;

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
        Status status = Status.OK;
        if (relative) {
            double base = control.unadjustedMean();
            double b2 = base * base;
            double r = treatment.unadjustedMean() / base;
            double theta = control.theta();
            double controlTerm = r * r * control.unadjustedVariance() - 2 * r * theta * control.covariance()
                    + theta * theta * control.covariateVariance();
            estimate = diff / Math.abs(base);
            variance = vT / b2 + Math.max(0.0, controlTerm) / (control.n() * b2);
            if (fiellerG(control) >= UNRELIABLE_G) {
                status = Status.RELATIVE_LIFT_UNRELIABLE;
            }
        } else {
            estimate = diff;
            variance = vT + vC;
        }
        if (!Double.isFinite(estimate) || !Double.isFinite(variance) || !Double.isFinite(df)) {
            return Effect.failed(Status.NUMERIC_OVERFLOW, totalN, relative);
        }
        return new Effect(status, estimate, variance, df, totalN, relative);
    }

    /**
     * Fieller's (1954) g for the control mean as the denominator of a relative lift:
     * g = (z₀.₉₇₅ · se(Ȳ_C)/|Ȳ_C|)², se from the unadjusted per-unit variance. The 95 % Fieller
     * interval of a ratio is bounded only if g &lt; 1 (the denominator significantly differs from 0)
     * and is close to the delta-method interval only while g is small: roughly, its width grows by
     * 1/(1 − g) and its centre moves away from the estimate (Fieller 1954; Franz 2007, "Ratios: a
     * short guide to confidence limits and proper use", §3). At g ≥ {@value #UNRELIABLE_G} (the
     * control mean's coefficient of variation above 0.16) the delta-method interval of the relative
     * lift is more than about 10 % off, and it can reach below −100 %, which no non-negative metric
     * can: 1/1000 against 120/1000 has g = 3.8 and the interval [−117, 355].
     */
    public static double fiellerG(ArmMoments control) {
        double cv = Math.sqrt(control.unadjustedVariance() / control.n()) / Math.abs(control.unadjustedMean());
        return Z_975 * Z_975 * cv * cv;
    }

    private static boolean finite(ArmMoments a) {
        return Double.isFinite(a.mean()) && Double.isFinite(a.variance()) && Double.isFinite(a.unadjustedMean());
    }
}
