package io.liftstream.experiments.results;

import java.util.HashMap;
import java.util.Map;

/**
 * What one result of an experiment hands to the next: the always-valid p-values of the last result
 * (so they never increase) and the running intersection of their intervals, the sample sizes of
 * the group sequential looks taken so far, and the sequential SRM tests' evidence (arms, and the
 * holdout share). Mutable, public fields, no-argument constructor: stream state. Fields added later
 * may be null after a restore from older state; readers treat null as empty.
 */
public class ResultsMemory {
    /** Last p-value per {@code metric + "\u0001" + arm} (and {@code "holdout\u0001" + metric}). */
    public Map<String, Double> previousP = new HashMap<>();
    /**
     * Running intersection {lower, upper} of the always-valid intervals per key as {@link #previousP}
     * (see {@link AlwaysValidLooks}); lower &gt; upper once they stopped overlapping.
     */
    public Map<String, double[]> intervals = new HashMap<>();
    /**
     * The allocation phase (start) of each bandit period (phase key) seen: the holdout comparison
     * combines by allocation phase, since the holdout share does not follow the bandit. Absent: the
     * phase is its own allocation phase.
     */
    public Map<Long, Long> phaseAllocation = new HashMap<>();
    /** Pair sample sizes of the earlier gst looks, per {@code metric + "\u0001" + arm}. */
    public Map<String, long[]> gstLooks = new HashMap<>();

    /** Sequential SRM: the arms and weights of the current epoch (since the weights last changed). */
    public String[] srmArms;
    public double[] srmWeights;
    /** Users per arm exposed during the current epoch. */
    public long[] srmCounts;
    /** ln of the Bayes factors of the closed epochs, multiplied together. */
    public double srmClosedLogBf;
    /** The last sequential SRM p-value (1 before any). */
    public double srmPrevious = 1.0;
    /** The last sequential SRM p-value of the holdout share. */
    public double holdoutSrmPrevious = 1.0;
    /** Holdout SRM: the holdout_pct of the current epoch (since it last changed), or null before any. */
    public Double holdoutSrmPct;
    /** Users {held out, treated} exposed during the current holdout epoch. */
    public long[] holdoutSrmCounts;
    /** ln of the Bayes factors of the closed holdout epochs, multiplied together. */
    public double holdoutSrmClosedLogBf;

    public ResultsMemory() {}

    public static String key(String metric, String arm) {
        return metric + "\u0001" + arm;
    }
}
