package io.liftstream.jobs.results;

import java.util.HashMap;
import java.util.Map;

/** A user's membership in one experiment, a Flink POJO kept per user and experiment. */
public class UserExposure {
    /** The group of the first exposure ({@code ResultsTotals.group}); never changes. */
    public String group;
    /** Event time of the first exposure: attribution windows start here. */
    public long firstExposure;
    /**
     * The phase of the first exposure (its start, {@code ResultsTotals.phased}); null in state from
     * before phases, meaning the first phase.
     */
    public Long phase;
    /** Exposed to another group later (counted once). */
    public boolean conflicted;
    /** The user's current value per metric name (absent: 0). */
    public Map<String, Double> values = new HashMap<>();
    /**
     * Per CUPED metric name, the user's raw pre-exposure total (the ring's total over the metric's
     * lookback at first exposure, {@code PreExposureRing.total}); absent: 0, and for state from
     * before CUPED. Fixed at first exposure.
     */
    public Map<String, Double> preTotals = new HashMap<>();

    public UserExposure() {}

    public UserExposure(String group, long firstExposure) {
        this.group = group;
        this.firstExposure = firstExposure;
    }

    public UserExposure(String group, long firstExposure, long phase) {
        this(group, firstExposure);
        this.phase = phase;
    }

    /** The phase key of the user's totals. */
    public long phaseOrFirst() {
        return phase != null ? phase : io.liftstream.experiments.results.ResultsTotals.FIRST_PHASE;
    }
}
