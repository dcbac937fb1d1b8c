package io.liftstream.experiments.stats;

/**
 * What the tests use of one arm: its size, its (possibly CUPED-adjusted) mean and per-unit
 * variance, and the unadjusted mean that scales a relative lift (equal to {@code mean} without
 * CUPED; as gbstats' {@code unadjusted_mean}).
 */
public record ArmMoments(long n, double mean, double variance, double unadjustedMean) {

    public static ArmMoments of(SampleStats stats, MetricType type) {
        double mean = stats.mean();
        return new ArmMoments(stats.n(), mean, stats.variance(type), mean);
    }
}
