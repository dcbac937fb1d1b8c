package io.liftstream.experiments.stats;

/**
 * Why a comparison has (or has no) numbers. Edge cases are statuses, never NaN or an exception, so a
 * dashboard or a streaming job can show the reason.
 */
public enum Status {
    OK("ok"),
    TOO_FEW_UNITS("an arm has fewer than 2 units"),
    ZERO_VARIANCE("the metric has zero variance in an arm"),
    ZERO_CONTROL_MEAN("the control mean is 0, so a relative lift is undefined"),
    ZERO_DENOMINATOR("a ratio metric's denominator sums to 0 in an arm, so its ratio is undefined"),
    /**
     * Numbers are reported, with a caveat: the control mean is too close to 0 (relative to its
     * standard error) for the delta-method interval of a relative lift to hold. The comparison also
     * carries the absolute difference, which the recommendation uses.
     */
    RELATIVE_LIFT_UNRELIABLE("the control mean is too close to 0 for a reliable relative lift (Fieller's g >= 0.1):"
            + " the relative numbers are approximate and decisions use the absolute difference"),
    NUMERIC_OVERFLOW("the statistics overflow double precision"),
    NOT_ENOUGH_DATA("not enough data for this method"),
    LOOKS_DISAGREE("the always-valid intervals of successive looks no longer overlap: the effect is not constant "
            + "over time (a novelty effect, a changed population or split), so the sequential guarantee does not hold");

    private final String reason;

    Status(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** The comparison has numbers: {@link #OK}, or {@link #RELATIVE_LIFT_UNRELIABLE} with its caveat. */
    public boolean ok() {
        return this == OK || this == RELATIVE_LIFT_UNRELIABLE;
    }

    /** The numbers hold without caveat. */
    public boolean reliable() {
        return this == OK;
    }

    /** The name in JSON output: lower case, e.g. {@code relative_lift_unreliable}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
