package io.liftstream.experiments.results;

import io.liftstream.experiments.stats.SampleStats;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An experiment's sufficient statistics, per group and metric, kept by adding deltas: the users of
 * each group ({@link #arm treated arms} and the {@link #HOLDOUT holdout}), and per group and metric
 * Σx and Σx² over those users (a user without outcomes counts with value 0). All sums merge by
 * addition, so partial totals from many places add up exactly.
 *
 * <p>Mutable, with public fields and a no-argument constructor, so a stream processor can keep it
 * as state directly.
 */
public class ResultsTotals {
    /** The group key of users held out of the experiment. */
    public static final String HOLDOUT = "holdout";

    /** Users per group key. */
    public Map<String, Long> users = new HashMap<>();
    /** Σx per {@link #metricKey group and metric}. */
    public Map<String, Double> sums = new HashMap<>();
    /** Σx² per {@link #metricKey group and metric}. */
    public Map<String, Double> sumSquares = new HashMap<>();
    /** Users exposed to more than one group (counted once each, in the group of their first exposure). */
    public long conflicts;

    public ResultsTotals() {}

    /** The group key of the treated users of arm {@code name}. */
    public static String arm(String name) {
        return "arm:" + name;
    }

    /** The group key of a user: the holdout, or the arm. */
    public static String group(String arm, boolean holdout) {
        return holdout ? HOLDOUT : arm(arm);
    }

    public static String metricKey(String group, String metric) {
        return group + "\u0001" + metric;
    }

    public void addUsers(String group, long n) {
        users.merge(group, n, Long::sum);
    }

    public void addMetric(String group, String metric, double sum, double sumOfSquares) {
        String key = metricKey(group, metric);
        sums.merge(key, sum, Double::sum);
        sumSquares.merge(key, sumOfSquares, Double::sum);
    }

    public long users(String group) {
        return users.getOrDefault(group, 0L);
    }

    /** The group's statistics for one metric: n users, Σx, Σx². */
    public SampleStats stats(String group, String metric) {
        String key = metricKey(group, metric);
        return SampleStats.of(users(group), sums.getOrDefault(key, 0.0), sumSquares.getOrDefault(key, 0.0));
    }

    /** Adds everything of {@code other}. */
    public void add(ResultsTotals other) {
        other.users.forEach(this::addUsers);
        other.sums.forEach((k, v) -> sums.merge(k, v, Double::sum));
        other.sumSquares.forEach((k, v) -> sumSquares.merge(k, v, Double::sum));
        conflicts += other.conflicts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultsTotals t && t.users.equals(users) && t.sums.equals(sums)
                && t.sumSquares.equals(sumSquares) && t.conflicts == conflicts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(users, sums, sumSquares, conflicts);
    }

    @Override
    public String toString() {
        return "ResultsTotals{users=" + users + ", sums=" + sums + ", sumSquares=" + sumSquares + ", conflicts="
                + conflicts + '}';
    }
}
