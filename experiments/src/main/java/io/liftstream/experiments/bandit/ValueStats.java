package io.liftstream.experiments.bandit;

/**
 * Sufficient statistics of one arm's continuous rewards (e.g. revenue per exposure): n, Σx, Σx².
 * Merge by addition; the normal model with unknown mean and variance needs nothing else.
 */
public record ValueStats(long n, double sum, double sumSquares) {
    public static final ValueStats EMPTY = new ValueStats(0, 0, 0);

    public ValueStats {
        if (n < 0 || !Double.isFinite(sum) || !Double.isFinite(sumSquares) || sumSquares < 0) {
            throw new IllegalArgumentException("invalid value statistics n=" + n + " sum=" + sum + " sumSquares=" + sumSquares);
        }
    }

    public ValueStats add(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("reward must be finite, was " + x);
        }
        return new ValueStats(n + 1, sum + x, sumSquares + x * x);
    }

    public ValueStats plus(ValueStats o) {
        return new ValueStats(n + o.n, sum + o.sum, sumSquares + o.sumSquares);
    }

    public double mean() {
        return n == 0 ? 0 : sum / n;
    }

    /** Σ(x − x̄)², clamped at 0 against rounding. */
    public double sumSquaredDeviations() {
        return n == 0 ? 0 : Math.max(0, sumSquares - sum * sum / n);
    }
}
