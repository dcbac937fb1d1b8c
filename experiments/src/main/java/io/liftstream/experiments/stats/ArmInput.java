package io.liftstream.experiments.stats;

/**
 * One arm's sufficient statistics as an analysis receives them.
 *
 * @param cuped the experiment-period metric with its pre-period covariate, or null without CUPED
 *     (then {@code stats} is used)
 */
public record ArmInput(String name, SampleStats stats, CupedStats cuped) {
    public ArmInput {
        if (cuped != null && !cuped.post().equals(stats)) {
            throw new IllegalArgumentException("arm " + name + ": CUPED post statistics must equal the arm statistics");
        }
    }

    public static ArmInput of(String name, SampleStats stats) {
        return new ArmInput(name, stats, null);
    }
}
