package io.liftstream.experiments.stats;

/**
 * Mergeable sufficient statistics of a ratio metric in one arm, e.g. revenue per order: per unit
 * (user) a numerator m and a denominator d, and the metric is Σm/Σd. The unit of randomisation (the
 * user) is not the unit of the denominator (the order), so the ratio's variance is not the sample
 * variance of anything; the delta method gives it from six sums that merge by addition (as gbstats'
 * {@code RatioStatistic}): n, Σm, Σm², Σd, Σd², Σm·d.
 *
 * <p>Delta method (Deng, Knoblich, Lu 2018, "Applying the Delta Method in Metric Analytics: A
 * Practical Guide with Novel Ideas", KDD, section 3, the ratio of two means): with μ_m, μ_d the
 * per-unit means, σ²_m, σ²_d the sample variances and σ_md the sample covariance,
 * <pre>
 *   n · Var(m̄/d̄) ≈ σ²_m/μ_d² + μ_m² σ²_d/μ_d⁴ − 2 μ_m σ_md/μ_d³
 * </pre>
 * which {@link #variance()} returns per unit, so the ratio plugs into {@link EffectEstimator}
 * like a mean with variance σ²/n: absolute lift R_T − R_C with Var = v_T/n_T + v_C/n_C, relative lift
 * (R_T − R_C)/|R_C| with the delta-method variance of a quotient of independent arms, exactly as
 * gbstats' {@code frequentist_variance} treats a ratio statistic.
 *
 * @param numerator n, Σm, Σm²
 * @param denominator n, Σd, Σd²
 * @param sumProduct Σ m·d over the units
 */
public record RatioStats(SampleStats numerator, SampleStats denominator, double sumProduct) {
    public static final RatioStats EMPTY = new RatioStats(SampleStats.EMPTY, SampleStats.EMPTY, 0);

    public RatioStats {
        if (numerator.n() != denominator.n()) {
            throw new IllegalArgumentException("numerator and denominator statistics must count the same units");
        }
    }

    public static RatioStats of(long n, double sum, double sumSquares, double denominatorSum,
            double denominatorSumSquares, double sumProduct) {
        return new RatioStats(SampleStats.of(n, sum, sumSquares),
                SampleStats.of(n, denominatorSum, denominatorSumSquares), sumProduct);
    }

    public long n() {
        return numerator.n();
    }

    /** One more unit with numerator {@code m} and denominator {@code d}: O(1). */
    public RatioStats add(double m, double d) {
        return new RatioStats(numerator.add(m), denominator.add(d), sumProduct + m * d);
    }

    public RatioStats merge(RatioStats other) {
        return new RatioStats(numerator.merge(other.numerator), denominator.merge(other.denominator),
                sumProduct + other.sumProduct);
    }

    /** Whether Σd = 0, so that the ratio is undefined. */
    public boolean zeroDenominator() {
        return denominator.sum() == 0.0;
    }

    /** Whether either arm of a comparison is a ratio arm whose denominator sums to 0. */
    public static boolean undefined(ArmInput control, ArmInput treatment) {
        return control.ratio() != null && control.ratio().zeroDenominator()
                || treatment.ratio() != null && treatment.ratio().zeroDenominator();
    }

    /** Σm/Σd; 0 when Σd = 0 (as gbstats; {@link #zeroDenominator()} tells the caller). */
    public double ratio() {
        return zeroDenominator() ? 0.0 : numerator.sum() / denominator.sum();
    }

    /**
     * Per-unit delta-method variance (see the class comment); n · Var(Σm/Σd). 0 when n &lt; 2 or
     * Σd = 0. The component variances are not clamped (gbstats does not either, and its golden tests
     * rely on that); only the result is clamped at 0.
     */
    public double variance() {
        long n = n();
        if (n < 2 || zeroDenominator()) {
            return 0.0;
        }
        double muM = numerator.sum() / n;
        double muD = denominator.sum() / n;
        double varM = rawVariance(numerator);
        double varD = rawVariance(denominator);
        double muD2 = muD * muD;
        double v = varM / muD2 + varD * muM * muM / (muD2 * muD2) - 2 * covariance() * muM / (muD2 * muD);
        return Math.max(0.0, v);
    }

    /** Sample covariance of m and d, (Σmd − ΣmΣd/n)/(n − 1); 0 when n &lt; 2. */
    public double covariance() {
        long n = n();
        if (n < 2) {
            return 0.0;
        }
        return (sumProduct - numerator.sum() * denominator.sum() / n) / (n - 1);
    }

    /** What the tests use: n, the ratio as the mean, the per-unit delta-method variance. */
    public ArmMoments moments() {
        double r = ratio();
        return new ArmMoments(n(), r, variance(), r);
    }

    private static double rawVariance(SampleStats s) {
        long n = s.n();
        return (s.sumSquares() - s.sum() * s.sum() / n) / (n - 1);
    }
}
