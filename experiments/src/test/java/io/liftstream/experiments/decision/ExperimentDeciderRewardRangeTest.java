package io.liftstream.experiments.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.bandit.ArmPosteriors;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.experiments.bandit.RewardRange;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

/**
 * Issue 12, defect 9 at the definition: UCB1 with a continuous reward needs {@code reward_range}, and
 * the decision uses it. (The old definition accepted ucb1 on revenue without a range, and its UCB1
 * ranked dollar means plus a bonus of about 0.15: greedy.)
 */
class ExperimentDeciderRewardRangeTest {
    private static final RewardSpec REVENUE = new RewardSpec("Order Completed", "revenue", Duration.ofHours(24));
    private static final RewardSpec CONVERSION = new RewardSpec("Order Completed", "conversion", Duration.ofHours(24));

    private static ExperimentDefinition.Builder ucb1(RewardSpec reward) {
        return ExperimentDefinition.builder("rev").arms("a", "b", "c").policy(PolicyType.UCB1).reward(reward);
    }

    @Test
    void ucb1OnAnUnboundedRewardWithoutARangeIsRefused() {
        assertThatThrownBy(() -> ucb1(REVENUE).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("experiment 'rev': policy ucb1 assumes rewards in [0, 1], but reward.value 'revenue' is"
                        + " unbounded: declare reward_range [min, max] (ucb1 then rescales rewards to [0, 1]) or use"
                        + " policy thompson or top_two");
        // Conversions are in [0, 1]; other policies are scale free; a declared range is accepted.
        assertThat(ucb1(CONVERSION).build().rewardRange()).isNull();
        assertThat(ucb1(null).build().policy()).isEqualTo(PolicyType.UCB1);
        assertThat(ucb1(REVENUE).policy(PolicyType.THOMPSON).build().policy()).isEqualTo(PolicyType.THOMPSON);
        assertThat(ucb1(REVENUE).rewardRange(new RewardRange(0, 200)).build().rewardRange())
                .isEqualTo(new RewardRange(0, 200));
        // A range for conversions must hold 0 and 1 (rewards outside it would void UCB1's bound).
        assertThatThrownBy(() -> ucb1(CONVERSION).rewardRange(new RewardRange(0, 0.5)).build())
                .hasMessage("experiment 'rev': reward_range [0.0, 0.5] must contain the conversion rewards 0 and 1");
        assertThatThrownBy(() -> ucb1(null).rewardRange(new RewardRange(0.2, 1)).build())
                .hasMessage("experiment 'rev': reward_range [0.2, 1.0] must contain the conversion rewards 0 and 1");
        assertThat(ucb1(CONVERSION).rewardRange(new RewardRange(-1, 1)).build().rewardRange()).isEqualTo(new RewardRange(-1, 1));
    }

    @Test
    void theDeciderRanksRescaledMeans() {
        // Means 30, 45, 38 from 400, 1000, 600 rewards; range [0, 200]: normalised UCB1 picks c
        // (indices 0.3449, 0.3483, 0.3492; unnormalised it would pick b). Floor 1%: c gets 0.98.
        ExperimentDefinition def = ucb1(REVENUE).rewardRange(new RewardRange(0, 200)).build();
        ExperimentDecider decider = new ExperimentDecider(def, 0);
        ArmPosteriors posteriors = decider.posteriors(Map.of("a", tally(400, 30), "b", tally(1000, 45), "c", tally(600, 38)));
        int c = 0;
        for (int i = 0; i < 300; i++) {
            DecisionOutcome o = decider.decide("user-" + i, UserSignals.NONE, DecisionIds.decisionId("r" + i, "rev"),
                    () -> posteriors);
            assertThat(o.reason()).isEqualTo(DecisionReason.ASSIGNED);
            assertThat(o.propensity()).as(o.arm()).isCloseTo(o.arm().equals("c") ? 0.98 : 0.01,
                    org.assertj.core.api.Assertions.within(1e-12));
            c += o.arm().equals("c") ? 1 : 0;
        }
        assertThat(c).isGreaterThan(280);
    }

    private static RewardTally tally(int n, double value) {
        RewardTally t = new RewardTally();
        for (int i = 0; i < n; i++) {
            t.add(value);
        }
        return t;
    }
}
