package io.liftstream.jobs.decisions;

import io.liftstream.experiments.decision.RewardTally;

/** An arm's reward tally; {@code arm} is null for the holdout (control) group. A Flink POJO. */
public class ArmTally {
    public String arm;
    public RewardTally tally;

    public ArmTally() {}

    public ArmTally(String arm, RewardTally tally) {
        this.arm = arm;
        this.tally = tally;
    }
}
