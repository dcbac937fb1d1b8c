package io.liftstream.jobs.results;

import io.liftstream.experiments.results.ResultsTotals;

/**
 * A change of an experiment's sufficient statistics, a Flink POJO: new users in a group, newly
 * conflicted users, or a change of Σx and Σx² of one metric in a group. Deltas are added up per
 * subtask ({@link DeltaPreAggregator}) before the per-experiment merge.
 *
 * <p>{@link #label} is the start of the emission interval the change belongs to: the last cadence
 * tick or definition change at or before the change's event time. A result as of T covers exactly
 * the deltas with labels before T.
 */
public class StatsDelta {
    public String experimentId;
    public long label;
    /** The group key ({@code ResultsTotals.arm(name)} or {@code ResultsTotals.HOLDOUT}). */
    public String group;
    /**
     * The phase of the users concerned: the start of the phase of their first exposure
     * ({@code ResultsTotals.FIRST_PHASE} for a phase in force from the beginning, and in state
     * from before phases).
     */
    public long phase = ResultsTotals.FIRST_PHASE;
    /**
     * On a users delta: the allocation phase (start) of {@link #phase}, which differs from it for
     * an adaptive policy's bandit periods.
     */
    public long allocationPhase = ResultsTotals.FIRST_PHASE;
    public long users;
    public long conflicts;
    /** The metric of {@link #sum}/{@link #sumSquares}, or null for a delta of users or conflicts only. */
    public String metric;
    public double sum;
    public double sumSquares;
    /**
     * For a metric with CUPED: the change of Σp and Σp² of the users' pre-exposure covariates and of
     * Σx·p ({@code CupedDelta}); for a ratio metric the change of Σd, Σd² of the denominators and of
     * Σm·d; 0 otherwise (and in state from before CUPED).
     */
    public double preSum;
    public double preSumSquares;
    public double sumProduct;
    /** The latest event time of the changes added up here. */
    public long maxTime;

    public StatsDelta() {}

    public static StatsDelta users(String experimentId, long label, String group, long time) {
        return users(experimentId, label, group, ResultsTotals.FIRST_PHASE, time);
    }

    public static StatsDelta users(String experimentId, long label, String group, long phase, long time) {
        return users(experimentId, label, group, phase, phase, time);
    }

    public static StatsDelta users(String experimentId, long label, String group, long phase, long allocationPhase,
            long time) {
        StatsDelta d = base(experimentId, label, group, phase, time);
        d.allocationPhase = allocationPhase;
        d.users = 1;
        return d;
    }

    public static StatsDelta conflict(String experimentId, long label, String group, long time) {
        return conflict(experimentId, label, group, ResultsTotals.FIRST_PHASE, time);
    }

    public static StatsDelta conflict(String experimentId, long label, String group, long phase, long time) {
        StatsDelta d = base(experimentId, label, group, phase, time);
        d.conflicts = 1;
        return d;
    }

    public static StatsDelta metric(String experimentId, long label, String group, String metric, double sum,
            double sumSquares, long time) {
        return metric(experimentId, label, group, ResultsTotals.FIRST_PHASE, metric, sum, sumSquares, time);
    }

    public static StatsDelta metric(String experimentId, long label, String group, long phase, String metric,
            double sum, double sumSquares, long time) {
        StatsDelta d = base(experimentId, label, group, phase, time);
        d.metric = metric;
        d.sum = sum;
        d.sumSquares = sumSquares;
        return d;
    }

    /** A metric delta of a CUPED metric: Σx, Σx² and the covariate moments of one {@code CupedDelta}. */
    public static StatsDelta cuped(String experimentId, long label, String group, long phase, String metric,
            io.liftstream.experiments.results.CupedDelta c, long time) {
        StatsDelta d = metric(experimentId, label, group, phase, metric, c.sum(), c.sumSquares(), time);
        d.preSum = c.preSum();
        d.preSumSquares = c.preSumSquares();
        d.sumProduct = c.sumProduct();
        return d;
    }

    private static StatsDelta base(String experimentId, long label, String group, long phase, long time) {
        StatsDelta d = new StatsDelta();
        d.experimentId = experimentId;
        d.label = label;
        d.group = group;
        d.phase = phase;
        d.maxTime = time;
        return d;
    }

    /** The key deltas are added up by: experiment, label, group, phase, metric. */
    public String aggregationKey() {
        return experimentId + '\u0001' + sortable(label) + '\u0001' + group + '\u0001' + sortable(phase) + '\u0001'
                + (metric == null ? "" : metric);
    }

    /** A long as 16 hex digits that sort as text in the numbers' order (negative ones first). */
    public static String sortable(long v) {
        String hex = Long.toHexString(v ^ Long.MIN_VALUE);
        return "0".repeat(16 - hex.length()) + hex;
    }

    public void add(StatsDelta o) {
        users += o.users;
        conflicts += o.conflicts;
        sum += o.sum;
        sumSquares += o.sumSquares;
        preSum += o.preSum;
        preSumSquares += o.preSumSquares;
        sumProduct += o.sumProduct;
        maxTime = Math.max(maxTime, o.maxTime);
    }

    @Override
    public String toString() {
        return "StatsDelta{" + experimentId + " @" + label + " " + group
                + (phase == ResultsTotals.FIRST_PHASE ? "" : " phase=" + phase) + " users=" + users + " conflicts=" + conflicts
                + (metric != null ? " " + metric + " sum=" + sum + " sq=" + sumSquares : "")
                + (preSum != 0 || preSumSquares != 0 || sumProduct != 0
                        ? " pre=" + preSum + " preSq=" + preSumSquares + " xp=" + sumProduct : "") + "}";
    }
}
