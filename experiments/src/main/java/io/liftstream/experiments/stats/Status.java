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

    public boolean ok() {
        return this == OK;
    }
}
