package io.liftstream.jobs.results;

import io.liftstream.experiments.results.ResultsMemory;
import io.liftstream.experiments.results.ResultsTotals;

/** The per-experiment state of the merge, a Flink POJO. */
public class ExperimentState {
    /** Every delta applied so far. */
    public ResultsTotals totals = new ResultsTotals();
    /** What each result hands to the next (previous p-values, gst looks, SRM evidence). */
    public ResultsMemory memory = new ResultsMemory();
    /** The last emission point handled (a tick or a status change). */
    public long lastPoint = Long.MIN_VALUE;
    public long lastAsOf = Long.MIN_VALUE;
    /** Results emitted so far. */
    public long sequence;
    /** Latest event time of any delta received. */
    public long maxTime = Long.MIN_VALUE;
    /** Deltas applied since the last result. */
    public boolean dirty;

    public ExperimentState() {}
}
