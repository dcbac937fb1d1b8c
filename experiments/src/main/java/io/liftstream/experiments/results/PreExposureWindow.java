package io.liftstream.experiments.results;

import java.time.Duration;

/**
 * Where a user's CUPED covariate comes from in the live results job: the metric's outcomes in the
 * {@code buckets} whole buckets (UTC days, or hours for a lookback that is not whole days) before
 * the bucket of the user's first exposure. For {@code "cuped": {"lookback": "P14D"}} that is the 14
 * UTC days before the day of first exposure: [start of that day − 14 days, start of that day).
 *
 * <p>Why aligned buckets: a per-user ring of {@code buckets + 1} sums ({@link PreExposureRing})
 * holds exactly these totals in O(1) state and O(1) amortised time per event, whatever the user's
 * event count; the exposure's own (partial) bucket is left out, so an event that arrives out of
 * order but belongs after the exposure can never leak into the covariate (a covariate must not be
 * affected by the treatment; Deng, Xu, Kohavi, Walker 2013, section 3.3).
 *
 * @param bucketMillis 1 day or 1 hour
 * @param buckets whole buckets in the lookback
 */
public record PreExposureWindow(long bucketMillis, int buckets) {
    public static final long DAY = Duration.ofDays(1).toMillis();
    public static final long HOUR = Duration.ofHours(1).toMillis();
    /** At most this many buckets per user and metric: 8 bytes each. */
    public static final int MAX_BUCKETS = 400;

    public PreExposureWindow {
        if (bucketMillis <= 0 || buckets < 1 || buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("invalid pre-exposure window: " + buckets + " buckets of " + bucketMillis + " ms");
        }
    }

    /**
     * The window of a lookback: whole days give daily buckets (P14D: 14), otherwise whole hours give
     * hourly buckets (PT36H: 36); anything else, and more than {@value #MAX_BUCKETS} buckets, is refused.
     */
    public static PreExposureWindow of(Duration lookback) {
        if (lookback == null || lookback.isNegative() || lookback.isZero()) {
            throw new IllegalArgumentException("cuped.lookback must be a positive ISO-8601 duration such as P14D, was " + lookback);
        }
        long ms = lookback.toMillis();
        long unit = ms % DAY == 0 ? DAY : ms % HOUR == 0 ? HOUR : 0;
        if (unit == 0) {
            throw new IllegalArgumentException("cuped.lookback must be whole days (P14D) or whole hours (PT36H), was " + lookback);
        }
        long count = ms / unit;
        if (count > MAX_BUCKETS) {
            throw new IllegalArgumentException("cuped.lookback is too long: at most " + MAX_BUCKETS
                    + (unit == DAY ? " days" : " hours (use whole days beyond that)") + ", was " + lookback);
        }
        return new PreExposureWindow(unit, (int) count);
    }

    /** The bucket index of a time (ms since the epoch, UTC). */
    public long bucket(long time) {
        return Math.floorDiv(time, bucketMillis);
    }

    /** First instant of the window of a user first exposed at {@code exposure}. */
    public long start(long exposure) {
        return (bucket(exposure) - buckets) * bucketMillis;
    }

    /** End (exclusive) of the window: the start of the exposure's bucket. */
    public long end(long exposure) {
        return bucket(exposure) * bucketMillis;
    }

    /** Whether an outcome at {@code time} counts in the covariate of a user first exposed at {@code exposure}. */
    public boolean contains(long exposure, long time) {
        return time >= start(exposure) && time < end(exposure);
    }

    /** An empty ring for one user and metric. */
    public PreExposureRing newRing() {
        return new PreExposureRing(buckets + 1);
    }
}
