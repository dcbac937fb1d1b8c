package io.liftstream.experiments.stats;

/**
 * One arm's sufficient statistics as an analysis receives them.
 *
 * @param cuped the experiment-period metric with its pre-period covariate, or null without CUPED
 *     (then {@code stats} is used)
 * @param ratio for a ratio metric, numerator and denominator statistics (then {@code stats} are the
 *     numerator's), else null
 */
public record ArmInput(String name, SampleStats stats, CupedStats cuped, RatioStats ratio) {
    public ArmInput {
        if (cuped != null && !cuped.post().equals(stats)) {
            throw new IllegalArgumentException("arm " + name + ": CUPED post statistics must equal the arm statistics");
        }
        if (ratio != null && !ratio.numerator().equals(stats)) {
            throw new IllegalArgumentException("arm " + name + ": ratio numerator statistics must equal the arm statistics");
        }
    }

    public ArmInput(String name, SampleStats stats, CupedStats cuped) {
        this(name, stats, cuped, null);
    }

    /** A ratio-metric arm (numerator/denominator per unit). */
    public static ArmInput ratio(String name, RatioStats ratio) {
        return new ArmInput(name, ratio.numerator(), null, ratio);
    }

    public static ArmInput of(String name, SampleStats stats) {
        return new ArmInput(name, stats, null);
    }
}
