package io.liftstream.experiments.stats;

/**
 * A frequentist answer about one comparison: p-value and interval at the configured level, and
 * whether the null hypothesis is rejected. One-sided intervals carry an infinite bound
 * ({@link Double#NEGATIVE_INFINITY} or {@link Double#POSITIVE_INFINITY}).
 */
public record Inference(double pValue, double ciLower, double ciUpper, boolean significant) {

    /** p clamped to [0, 1]; significant when p ≤ α (equivalent to the interval excluding 0 for the method). */
    public static Inference byPValue(double pValue, double ciLower, double ciUpper, double alpha) {
        double p = clamp(pValue);
        return new Inference(p, ciLower, ciUpper, p <= alpha);
    }

    public static double clamp(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }
}
