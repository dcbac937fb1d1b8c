package io.liftstream.experiments.decision;

import java.time.Duration;

/**
 * Event time cut into posterior epochs of length Δ (the posterior interval), aligned on the Unix
 * epoch: epoch k is [kΔ, (k+1)Δ). A decision at time t reads the posterior of every reward observed
 * before {@link #start(long) start(t)}: at most Δ old, and the same on every run.
 */
public final class PosteriorEpochs implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final long lengthMillis;

    public PosteriorEpochs(Duration length) {
        if (length == null || length.toMillis() < 1) {
            throw new IllegalArgumentException("the posterior interval must be at least 1 ms, was " + length);
        }
        this.lengthMillis = length.toMillis();
    }

    public long lengthMillis() {
        return lengthMillis;
    }

    /** The epoch holding {@code t}. */
    public long epoch(long t) {
        return Math.floorDiv(t, lengthMillis);
    }

    /** The start of the epoch holding {@code t} (Long.MIN_VALUE and MAX_VALUE map to themselves). */
    public long start(long t) {
        if (t == Long.MIN_VALUE || t == Long.MAX_VALUE) {
            return t;
        }
        return Math.floorDiv(t, lengthMillis) * lengthMillis;
    }

    /** The start of epoch {@code k}. */
    public long startOf(long k) {
        return k * lengthMillis;
    }

    /** The last millisecond of epoch {@code k}. */
    public long lastOf(long k) {
        return (k + 1) * lengthMillis - 1;
    }
}
