package io.liftstream.experiments.stats.sequential;

/**
 * Tuning of the asymptotic confidence sequence.
 *
 * @param tuning N*, the total sample size (both arms) around which the sequence is tightest;
 *     GrowthBook's default is 5000
 */
public record SequentialConfig(double tuning) {
    public static final double DEFAULT_TUNING = 5000;
    public static final SequentialConfig DEFAULT = new SequentialConfig(DEFAULT_TUNING);

    public SequentialConfig {
        if (!(tuning > 0) || Double.isInfinite(tuning)) {
            throw new IllegalArgumentException("sequential_tuning must be a positive number, was " + tuning);
        }
    }
}
