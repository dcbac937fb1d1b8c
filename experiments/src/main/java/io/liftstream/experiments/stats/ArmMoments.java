package io.liftstream.experiments.stats;

/**
 * What the tests use of one arm: its size, its (possibly CUPED-adjusted) mean and per-unit
 * variance, and the unadjusted mean that scales a relative lift (equal to {@code mean} without
 * CUPED; as gbstats' {@code unadjusted_mean}).
 *
 * <p>With CUPED the arm also carries what the relative lift's variance needs beyond the adjusted
 * variance (gbstats {@code frequentist_variance_relative_cuped}): the unadjusted per-unit variance
 * Var(Y), the covariate's variance Var(X), Cov(Y, X) and the θ used. Without CUPED θ = 0 and the
 * unadjusted variance is the variance.
 *
 * @param unadjustedVariance per-unit Var(Y) before adjustment
 * @param theta the CUPED coefficient applied (0: none)
 * @param covariateVariance per-unit Var(X) of the covariate (0 without CUPED)
 * @param covariance per-unit Cov(Y, X) (0 without CUPED)
 */
public record ArmMoments(long n, double mean, double variance, double unadjustedMean, double unadjustedVariance,
        double theta, double covariateVariance, double covariance) {

    /** Moments without CUPED adjustment. */
    public ArmMoments(long n, double mean, double variance, double unadjustedMean) {
        this(n, mean, variance, unadjustedMean, variance, 0.0, 0.0, 0.0);
    }

    public static ArmMoments of(SampleStats stats, MetricType type) {
        double mean = stats.mean();
        return new ArmMoments(stats.n(), mean, stats.variance(type), mean);
    }
}
