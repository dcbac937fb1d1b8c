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
    /** Users per subtask whose profile stays on the heap ({@link DecisionOptions#PROFILE_CACHE}). */
    public final int profileCache;
    /** {@link EventTimeOptions#MAX_FUTURE_SKEW}; set with {@link #withMaxFutureSkew}. */
    public Duration maxFutureSkew = EventTimeOptions.MAX_FUTURE_SKEW.defaultValue();

    public DecisionSettings(Duration posteriorInterval, Duration stateRetention, double globalHoldoutPct, Duration outOfOrderness) {
        this(posteriorInterval, stateRetention, globalHoldoutPct, outOfOrderness, DecisionOptions.PROFILE_CACHE.defaultValue());
    }

    public DecisionSettings(Duration posteriorInterval, Duration stateRetention, double globalHoldoutPct, Duration outOfOrderness,
            int profileCache) {
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
        if (profileCache < 0) {
            throw new IllegalArgumentException(DecisionOptions.PROFILE_CACHE.key() + " must be at least 0, was " + profileCache);
        }
        this.posteriorInterval = posteriorInterval;
        this.stateRetention = stateRetention;
        this.globalHoldoutPct = globalHoldoutPct;
        this.outOfOrderness = outOfOrderness;
        this.profileCache = profileCache;
    }

    public static DecisionSettings defaults() {
        return new DecisionSettings(DecisionOptions.POSTERIOR_INTERVAL.defaultValue(), DecisionOptions.STATE_RETENTION.defaultValue(),
                DecisionOptions.GLOBAL_HOLDOUT_PCT.defaultValue(), EventTimeOptions.OUT_OF_ORDERNESS.defaultValue());
    }

    public static DecisionSettings from(ReadableConfig config) {
        return new DecisionSettings(config.get(DecisionOptions.POSTERIOR_INTERVAL), config.get(DecisionOptions.STATE_RETENTION),
                config.get(DecisionOptions.GLOBAL_HOLDOUT_PCT), config.get(EventTimeOptions.OUT_OF_ORDERNESS),
                config.get(DecisionOptions.PROFILE_CACHE)).withMaxFutureSkew(config.get(EventTimeOptions.MAX_FUTURE_SKEW));
    }

    public DecisionSettings withMaxFutureSkew(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(EventTimeOptions.MAX_FUTURE_SKEW.key() + " must not be negative, was " + d);
        }
        DecisionSettings s = new DecisionSettings(posteriorInterval, stateRetention, globalHoldoutPct, outOfOrderness, profileCache);
        s.maxFutureSkew = d;
        return s;
    }

    private DecisionSettings keepSkew(DecisionSettings s) {
        s.maxFutureSkew = maxFutureSkew;
        return s;
    }

    public DecisionSettings withPosteriorInterval(Duration d) {
        return keepSkew(new DecisionSettings(d, stateRetention, globalHoldoutPct, outOfOrderness, profileCache));
    }

    public DecisionSettings withGlobalHoldoutPct(double pct) {
        return keepSkew(new DecisionSettings(posteriorInterval, stateRetention, pct, outOfOrderness, profileCache));
    }

    public DecisionSettings withStateRetention(Duration d) {
        return keepSkew(new DecisionSettings(posteriorInterval, d, globalHoldoutPct, outOfOrderness, profileCache));
    }

    public DecisionSettings withProfileCache(int users) {
        return keepSkew(new DecisionSettings(posteriorInterval, stateRetention, globalHoldoutPct, outOfOrderness, users));
    }
}
