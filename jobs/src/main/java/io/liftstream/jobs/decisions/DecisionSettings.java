package io.liftstream.jobs.decisions;

import io.liftstream.jobs.input.EventTimeOptions;

import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.time.Duration;

/** The decision job's validated settings. */
public final class DecisionSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Duration posteriorInterval;
    public final Duration stateRetention;
    public final double globalHoldoutPct;
    public final Duration outOfOrderness;

    public DecisionSettings(Duration posteriorInterval, Duration stateRetention, double globalHoldoutPct, Duration outOfOrderness) {
        if (posteriorInterval.toMillis() < 1) {
            throw new IllegalArgumentException(DecisionOptions.POSTERIOR_INTERVAL.key() + " must be at least 1 ms, was " + posteriorInterval);
        }
        if (stateRetention.toMillis() < 1) {
            throw new IllegalArgumentException(DecisionOptions.STATE_RETENTION.key() + " must be positive, was " + stateRetention);
        }
        if (!(globalHoldoutPct >= 0 && globalHoldoutPct <= 100)) {
            throw new IllegalArgumentException(DecisionOptions.GLOBAL_HOLDOUT_PCT.key() + " must be in [0, 100], was " + globalHoldoutPct);
        }
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException(EventTimeOptions.OUT_OF_ORDERNESS.key() + " must not be negative, was " + outOfOrderness);
        }
        this.posteriorInterval = posteriorInterval;
        this.stateRetention = stateRetention;
        this.globalHoldoutPct = globalHoldoutPct;
        this.outOfOrderness = outOfOrderness;
    }

    public static DecisionSettings defaults() {
        return new DecisionSettings(DecisionOptions.POSTERIOR_INTERVAL.defaultValue(), DecisionOptions.STATE_RETENTION.defaultValue(),
                DecisionOptions.GLOBAL_HOLDOUT_PCT.defaultValue(), EventTimeOptions.OUT_OF_ORDERNESS.defaultValue());
    }

    public static DecisionSettings from(ReadableConfig config) {
        return new DecisionSettings(config.get(DecisionOptions.POSTERIOR_INTERVAL), config.get(DecisionOptions.STATE_RETENTION),
                config.get(DecisionOptions.GLOBAL_HOLDOUT_PCT), config.get(EventTimeOptions.OUT_OF_ORDERNESS));
    }

    public DecisionSettings withPosteriorInterval(Duration d) {
        return new DecisionSettings(d, stateRetention, globalHoldoutPct, outOfOrderness);
    }

    public DecisionSettings withGlobalHoldoutPct(double pct) {
        return new DecisionSettings(posteriorInterval, stateRetention, pct, outOfOrderness);
    }

    public DecisionSettings withStateRetention(Duration d) {
        return new DecisionSettings(posteriorInterval, d, globalHoldoutPct, outOfOrderness);
    }
}
