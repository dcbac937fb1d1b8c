package io.liftstream.experiments.stats;

/**
 * The estimated lift of a treatment over control with its sampling variance and Welch–Satterthwaite
 * degrees of freedom, or a {@link Status} saying why it cannot be estimated.
 *
 * @param estimate absolute (treatment − control) or relative ((treatment − control)/|control|) lift
 * @param variance sampling variance of {@code estimate}
 * @param df Welch–Satterthwaite degrees of freedom of the difference in means
 * @param totalN n_control + n_treatment
 */
public record Effect(Status status, double estimate, double variance, double df, long totalN, boolean relative) {

    public static Effect failed(Status status, long totalN, boolean relative) {
        return new Effect(status, 0, 0, 0, totalN, relative);
    }

    public double se() {
        return Math.sqrt(variance);
    }

    public boolean ok() {
        return status.ok();
    }
}
