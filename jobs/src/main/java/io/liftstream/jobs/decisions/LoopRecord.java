package io.liftstream.jobs.decisions;

import io.liftstream.experiments.decision.RewardTally;

/**
 * From a decision subtask to the {@link PosteriorAggregator}: a pre-aggregated reward delta (per
 * subtask, experiment, arm and epoch) or the subtask's progress. A Flink POJO.
 *
 * <ul>
 *   <li>{@link #DELTA}: {@code experimentId}, {@code arm} (null: the holdout group), {@code epoch},
 *       {@code tally}.</li>
 *   <li>{@link #PROGRESS}: subtask {@code subtask} of {@code parallelism} has sent every reward it will
 *       ever observe before {@code bound}.</li>
 * </ul>
 */
public class LoopRecord {
    public static final int DELTA = 0;
    public static final int PROGRESS = 1;

    public int kind;
    public String experimentId;
    public String arm;
    public long epoch;
    public RewardTally tally;
    public int subtask;
    public int parallelism;
    public long bound;

    public LoopRecord() {}

    public static LoopRecord delta(String experimentId, String arm, long epoch, RewardTally tally) {
        LoopRecord r = new LoopRecord();
        r.kind = DELTA;
        r.experimentId = experimentId;
        r.arm = arm;
        r.epoch = epoch;
        r.tally = tally;
        return r;
    }

    public static LoopRecord progress(int subtask, int parallelism, long bound) {
        LoopRecord r = new LoopRecord();
        r.kind = PROGRESS;
        r.subtask = subtask;
        r.parallelism = parallelism;
        r.bound = bound;
        return r;
    }
}
