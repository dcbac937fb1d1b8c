package io.liftstream.experiments.stats.power;

/**
 * What is known of the metric before the experiment: the control mean and per-user variance.
 *
 * <p>A rate (a proportion metric) has variance p(1 − p), and the treatment arm's variance under the
 * alternative is p_T(1 − p_T) (the unpooled variance of the two-proportion z-test). A mean metric
 * has one variance for both arms: nothing else is known before the experiment (GrowthBook's power
 * calculator assumes the same, {@code packages/shared/src/power/power.ts}, {@code powerStandardError}).
 *
 * @param mean control mean (the conversion rate for a rate)
 * @param variance per-user variance of the control arm
 * @param rate whether the metric is a rate in (0, 1)
 */
public record Baseline(double mean, double variance, boolean rate) {

    public Baseline {
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("the baseline mean must be a finite number, was " + mean);
        }
        if (!(variance > 0) || !Double.isFinite(variance)) {
            throw new IllegalArgumentException("the baseline variance must be positive, was " + variance);
        }
    }

    /** A conversion rate p in (0, 1). */
    public static Baseline rate(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("--baseline-rate must be in (0, 1), was " + p);
        }
        return new Baseline(p, p * (1 - p), true);
    }

    /** A mean metric with per-user variance {@code variance}. */
    public static Baseline mean(double mean, double variance) {
        return new Baseline(mean, variance, false);
    }

    /**
     * The treatment mean for a lift of {@code lift}: μ + lift (absolute) or μ + lift·|μ| (relative,
     * the engine's convention: a relative lift divides by |μ_C|).
     */
    public double treatmentMean(double lift, boolean relative) {
        return relative ? mean + lift * Math.abs(mean) : mean + lift;
    }

    /** Per-user variance of the treatment arm whose mean is {@code treatmentMean}. */
    public double treatmentVariance(double treatmentMean) {
        return rate ? treatmentMean * (1 - treatmentMean) : variance;
    }

    /** Whether a treatment mean is possible (a rate must stay inside (0, 1)). */
    public boolean feasible(double treatmentMean) {
        return !rate || (treatmentMean > 0 && treatmentMean < 1);
    }
}
