package io.liftstream.experiments.stats;

/** The alternative hypothesis about the lift (treatment − control). */
public enum Sides {
    /** Lift ≠ 0: two-sided p-value, interval bounded on both sides. */
    TWO,
    /** Lift &gt; 0: upper-tail p-value, interval [lower, +∞). */
    GREATER,
    /** Lift &lt; 0: lower-tail p-value, interval (−∞, upper]. */
    LESSER
}
