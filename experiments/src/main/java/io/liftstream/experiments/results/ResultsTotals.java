package io.liftstream.experiments.results;

import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.SampleStats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An experiment's sufficient statistics, per group and metric, kept by adding deltas: the users of
 * each group ({@link #arm treated arms} and the {@link #HOLDOUT holdout}), and per group and metric
 * Σx and Σx² over those users (a user without outcomes counts with value 0). All sums merge by
 * addition, so partial totals from many places add up exactly.
 *
 * <p><b>Phases.</b> Users belong to the phase of their first exposure (a phase starts when the
 * weights, the coverage or the holdout change, see {@link Phases}); a group key can carry the
 * phase ({@link #phased}), so the totals of every phase are kept apart and {@link #stats(long,
 * String, String)} reads one phase. A key without a phase belongs to the first phase
 * ({@link #FIRST_PHASE}: totals written before phases existed restore as that phase). The
 * phase-free readers ({@link #users(String)}, {@link #stats(String, String)}) add every phase up.
 *
 * <p>Mutable, with public fields and a no-argument constructor, so a stream processor can keep it
 * as state directly.
 */
public class ResultsTotals {
    /** The group key of users held out of the experiment. */
    public static final String HOLDOUT = "holdout";
    /** The phase key of a phase in force from the beginning (and of keys without a phase). */
    public static final long FIRST_PHASE = Long.MIN_VALUE;
    private static final char PHASE_SEPARATOR = '\u0002';

    /** Users per group key. */
    public Map<String, Long> users = new HashMap<>();
    /** Σx per {@link #metricKey group and metric}. */
    public Map<String, Double> sums = new HashMap<>();
    /** Σx² per {@link #metricKey group and metric}. */
    public Map<String, Double> sumSquares = new HashMap<>();
    /**
     * CUPED moments per {@link #metricKey group and metric} (only metrics with a {@code cuped}
     * lookback): Σp and Σp² of the users' pre-exposure covariates, and Σx·p. Absent in totals from
     * before CUPED (restore as empty maps: no adjustment).
     */
    public Map<String, Double> preSums = new HashMap<>();
    public Map<String, Double> preSumSquares = new HashMap<>();
    public Map<String, Double> sumProducts = new HashMap<>();
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

    /**
     * The key of {@code group} in the phase that started at {@code phase} (event time, epoch ms):
     * the group itself for {@link #FIRST_PHASE}, else {@code group + "\u0002" + phase}.
     */
    public static String phased(String group, long phase) {
        return phase == FIRST_PHASE ? group : group + PHASE_SEPARATOR + phase;
    }

    /** The group of a (possibly phased) group key. */
    public static String groupOf(String key) {
        int i = key.indexOf(PHASE_SEPARATOR);
        return i < 0 ? key : key.substring(0, i);
    }

    /** The phase of a (possibly phased) group key. */
    public static long phaseOf(String key) {
        int i = key.indexOf(PHASE_SEPARATOR);
        return i < 0 ? FIRST_PHASE : Long.parseLong(key.substring(i + 1));
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

    /** Adds a change of the CUPED moments (Σp, Σp², Σx·p) of {@code group} and {@code metric}. */
    public void addCovariate(String group, String metric, double preSum, double preSumOfSquares, double sumProduct) {
        addCovariate(metricKey(group, metric), preSum, preSumOfSquares, sumProduct);
    }

    private void addCovariate(String key, double preSum, double preSumOfSquares, double sumProduct) {
        if (preSums == null) {
            preSums = new HashMap<>();
            preSumSquares = new HashMap<>();
            sumProducts = new HashMap<>();
        }
        preSums.merge(key, preSum, Double::sum);
        preSumSquares.merge(key, preSumOfSquares, Double::sum);
        sumProducts.merge(key, sumProduct, Double::sum);
    }

    /**
     * The group's CUPED statistics for one metric in one phase: the metric's n, Σx, Σx², the
     * covariate's Σp, Σp² over the same n users, and Σx·p.
     */
    public CupedStats cupedStats(long phase, String group, String metric) {
        String g = phased(group, phase);
        String key = metricKey(g, metric);
        long n = users.getOrDefault(g, 0L);
        if (preSums == null) {
            return new CupedStats(stats(phase, group, metric), SampleStats.of(n, 0, 0), 0);
        }
        return new CupedStats(stats(phase, group, metric),
                SampleStats.of(n, preSums.getOrDefault(key, 0.0), preSumSquares.getOrDefault(key, 0.0)),
                sumProducts.getOrDefault(key, 0.0));
    }

    /** The users of {@code group}, every phase added up. */
    public long users(String group) {
        long n = 0;
        for (Map.Entry<String, Long> e : users.entrySet()) {
            if (groupOf(e.getKey()).equals(group)) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** The users of {@code group} in one phase. */
    public long users(long phase, String group) {
        return users.getOrDefault(phased(group, phase), 0L);
    }

    /** The group's statistics for one metric, every phase added up: n users, Σx, Σx². */
    public SampleStats stats(String group, String metric) {
        SampleStats s = SampleStats.EMPTY;
        for (long phase : phases()) {
            s = s.merge(stats(phase, group, metric));
        }
        return s;
    }

    /** The group's statistics for one metric in one phase. */
    public SampleStats stats(long phase, String group, String metric) {
        String g = phased(group, phase);
        String key = metricKey(g, metric);
        return SampleStats.of(users.getOrDefault(g, 0L), sums.getOrDefault(key, 0.0), sumSquares.getOrDefault(key, 0.0));
    }

    /** The phases with users, in the order they started. */
    public List<Long> phases() {
        TreeSet<Long> phases = new TreeSet<>();
        for (String key : users.keySet()) {
            phases.add(phaseOf(key));
        }
        return new ArrayList<>(phases);
    }

    /** Adds everything of {@code other}. */
    public void add(ResultsTotals other) {
        other.users.forEach(this::addUsers);
        other.sums.forEach((k, v) -> sums.merge(k, v, Double::sum));
        other.sumSquares.forEach((k, v) -> sumSquares.merge(k, v, Double::sum));
        if (other.preSums != null) {
            other.preSums.forEach((k, v) -> addCovariate(k, v, 0, 0));
            other.preSumSquares.forEach((k, v) -> addCovariate(k, 0, v, 0));
            other.sumProducts.forEach((k, v) -> addCovariate(k, 0, 0, v));
        }
        conflicts += other.conflicts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultsTotals t && t.users.equals(users) && t.sums.equals(sums)
                && t.sumSquares.equals(sumSquares) && Objects.equals(t.preSums, preSums)
                && Objects.equals(t.preSumSquares, preSumSquares) && Objects.equals(t.sumProducts, sumProducts)
                && t.conflicts == conflicts;
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
