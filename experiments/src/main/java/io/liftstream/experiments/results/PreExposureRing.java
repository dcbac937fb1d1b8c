package io.liftstream.experiments.results;

import java.util.Arrays;

/**
 * A user's recent outcome totals per bucket, before first exposure: a ring of
 * {@link PreExposureWindow#buckets()} + 1 sums indexed by bucket modulo the ring's size, plus the
 * newest bucket seen. State is O(1) per user and metric ((buckets + 1) doubles and a long) however
 * many events the user has; {@link #add} is O(1) amortised (moving forward clears at most the
 * ring's size of slots). Events older than the ring are dropped (they could not count anyway).
 *
 * <p>Mutable with public fields and a no-argument constructor, so that a Flink job can keep it as a
 * POJO in keyed state; everything else about it is pure.
 */
public final class PreExposureRing {
    /** The newest bucket index added; {@link Long#MIN_VALUE} while empty. */
    public long newest = Long.MIN_VALUE;
    /** Totals by bucket index modulo the length. */
    public double[] sums;

    public PreExposureRing() {}

    public PreExposureRing(int size) {
        sums = new double[size];
    }

    /** Adds an outcome's contribution at {@code time}. */
    public void add(PreExposureWindow w, long time, double amount) {
        long b = w.bucket(time);
        int size = sums.length;
        if (newest == Long.MIN_VALUE) {
            newest = b;
        } else if (b > newest) {
            long gap = b - newest;
            if (gap >= size) {
                Arrays.fill(sums, 0.0);
            } else {
                for (long i = newest + 1; i <= b; i++) {
                    sums[slot(i)] = 0.0;
                }
            }
            newest = b;
        } else if (b <= newest - size) {
            return; // older than anything the ring keeps
        }
        sums[slot(b)] += amount;
    }

    /**
     * The total of the outcomes in the window of a user first exposed at {@code exposure}: the
     * buckets [bucket(exposure) − buckets, bucket(exposure)) that the ring still holds.
     */
    public double total(PreExposureWindow w, long exposure) {
        if (newest == Long.MIN_VALUE) {
            return 0.0;
        }
        long end = w.bucket(exposure); // exclusive
        long from = Math.max(end - w.buckets(), newest - sums.length + 1);
        long to = Math.min(end - 1, newest);
        double total = 0.0;
        for (long i = from; i <= to; i++) {
            total += sums[slot(i)];
        }
        return total;
    }

    /**
     * Whether nothing in the ring can count for a user exposed at {@code now} or later (its newest
     * bucket is before every such window): the job can then drop the ring (state hygiene).
     */
    public boolean expired(PreExposureWindow w, long now) {
        return newest == Long.MIN_VALUE || newest < w.bucket(now) - w.buckets();
    }

    private int slot(long bucket) {
        return (int) Math.floorMod(bucket, (long) sums.length);
    }
}
