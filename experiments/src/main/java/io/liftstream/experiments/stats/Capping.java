package io.liftstream.experiments.stats;

import java.util.Arrays;

/**
 * Capping (winsorisation from above) of a per-unit metric value, as GrowthBook's metric setting
 * {@code capping: absolute | percentile} with {@code capValue}: each unit's value x becomes
 * min(x, c). A few whales then cannot dominate a revenue metric's mean and variance (the estimate
 * moves towards the capped population's mean: a small, known bias for a large variance reduction).
 *
 * <ul>
 *   <li>{@link Type#ABSOLUTE}: c = {@code value}.</li>
 *   <li>{@link Type#PERCENTILE}: c = the {@code value}-quantile (e.g. 0.99) of the units' values pooled
 *       over all arms (as GrowthBook computes its cap over every unit of the experiment, never per
 *       arm, so the cap cannot differ between arms), optionally ignoring units whose value is 0
 *       ({@code ignore_zeros}). The quantile is the linearly interpolated one
 *       (Hyndman and Fan 1996, definition 7; SQL's PERCENTILE_CONT, numpy's default): with the n values
 *       sorted, h = (n − 1)q and c = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎). GrowthBook uses its
 *       warehouse's approximate percentile, so caps can differ from it in the last digits.</li>
 * </ul>
 * A percentile cap needs all units' values; it is a batch operation ({@code analyze}), not something
 * the streaming results job can apply from sums (see {@link io.liftstream.experiments.results.MetricSpec}).
 *
 * @param value the cap (absolute, positive) or the quantile (percentile, in (0, 1])
 */
public record Capping(Type type, double value, boolean ignoreZeros) {

    /** How the cap is set. */
    public enum Type {
        ABSOLUTE("absolute"), PERCENTILE("percentile");

        public final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public static Type of(String wireName) {
            for (Type t : values()) {
                if (t.wireName.equals(wireName)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("cap.type must be \"absolute\" or \"percentile\", was \"" + wireName + "\"");
        }
    }

    public Capping {
        if (type == null) {
            throw new IllegalArgumentException("cap.type is required (\"absolute\" or \"percentile\")");
        }
        if (type == Type.ABSOLUTE && !(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException("cap.value of an absolute cap must be a positive number, was " + value);
        }
        if (type == Type.PERCENTILE && !(value > 0 && value <= 1)) {
            throw new IllegalArgumentException("cap.value of a percentile cap must be in (0, 1], e.g. 0.99, was " + value);
        }
    }

    public static Capping absolute(double value) {
        return new Capping(Type.ABSOLUTE, value, false);
    }

    public static Capping percentile(double quantile, boolean ignoreZeros) {
        return new Capping(Type.PERCENTILE, quantile, ignoreZeros);
    }

    /**
     * The cap c for these units' values (all arms pooled): the absolute value, or the quantile of
     * the values (without the zeros if {@code ignoreZeros}). With no values to take a quantile of,
     * +∞ (nothing is capped).
     */
    public double threshold(double[] pooledValues) {
        if (type == Type.ABSOLUTE) {
            return value;
        }
        double[] v = ignoreZeros ? Arrays.stream(pooledValues).filter(x -> x != 0.0).toArray() : pooledValues.clone();
        if (v.length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        Arrays.sort(v);
        return quantile(v, value);
    }

    /** Linearly interpolated quantile (definition 7) of ascending {@code sorted}, q in [0, 1]. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /** min(x, c): the capped value of one unit. */
    public static double cap(double x, double threshold) {
        return Math.min(x, threshold);
    }

    /** The sufficient statistics of {@code values} after capping each at {@code threshold}. */
    public static SampleStats cappedStats(double[] values, double threshold) {
        SampleStats s = SampleStats.EMPTY;
        for (double x : values) {
            s = s.add(cap(x, threshold));
        }
        return s;
    }
}
