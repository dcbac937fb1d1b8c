package io.liftstream.experiments.assignment;

import java.time.Duration;

/** At most {@code max} treatments per user and experiment within any {@code per} period. */
public record FrequencyCap(int max, Duration per) {
    public FrequencyCap {
        if (max < 1) {
            throw new IllegalArgumentException("frequency_cap.max must be at least 1, was " + max);
        }
        if (per == null || per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("frequency_cap.per must be a positive ISO-8601 duration, was " + per);
        }
    }
}
