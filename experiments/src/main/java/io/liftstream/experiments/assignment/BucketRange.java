package io.liftstream.experiments.assignment;

/** A half-open interval [start, end) of the unit interval: the buckets that get one variation. */
public record BucketRange(double start, double end) {
    public BucketRange {
        if (!(start <= end)) {
            throw new IllegalArgumentException("bucket range start " + start + " must not exceed end " + end);
        }
    }

    /** GrowthBook's {@code inRange}: start inclusive, end exclusive. */
    public boolean contains(double bucket) {
        return bucket >= start && bucket < end;
    }

    public double width() {
        return end - start;
    }
}
