package io.liftstream.experiments.stats;

/**
 * Mergeable sufficient statistics of one metric in one arm: unit count, sum and sum of squares.
 *
 * <p>Everything the tests need (mean, variance) follows from these three numbers, which combine by
 * addition: statistics kept per partition, per window or per Flink key merge exactly. {@link #add}
 * costs three additions, so the streaming jobs can update them per event.
 *
 * @param n units (users) observed
 * @param sum Σ x over the units
 * @param sumSquares Σ x² over the units
 */
public record SampleStats(long n, double sum, double sumSquares) {
    public static final SampleStats EMPTY = new SampleStats(0, 0, 0);

    public static SampleStats of(long n, double sum, double sumSquares) {
        return new SampleStats(n, sum, sumSquares);
    }

    /** The statistics after one more unit with value {@code x}: O(1). */
    public SampleStats add(double x) {
        return new SampleStats(n + 1, sum + x, sumSquares + x * x);
    }

    /** The statistics of the union of two disjoint samples. */
    public SampleStats merge(SampleStats other) {
        return new SampleStats(n + other.n, sum + other.sum, sumSquares + other.sumSquares);
    }

    public double mean() {
        return n == 0 ? 0.0 : sum / n;
    }

    /**
     * Per-unit variance: for {@link MetricType#MEAN} the sample variance (Σx² − (Σx)²/n)/(n − 1);
     * for {@link MetricType#PROPORTION} p(1 − p). Rounding can make a true zero slightly negative;
     * it is clamped to 0. Returns 0 when n &lt; 2 (callers check n first).
     */
    public double variance(MetricType type) {
        if (type == MetricType.PROPORTION) {
            if (n == 0) {
                return 0.0;
            }
            double p = sum / n;
            return Math.max(0.0, p * (1 - p));
        }
        if (n < 2) {
            return 0.0;
        }
        return Math.max(0.0, (sumSquares - sum * sum / n) / (n - 1));
    }
}
