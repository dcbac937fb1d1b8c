package io.liftstream.jobs.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.bandit.RewardRange;

import org.junit.jupiter.api.Test;

/**
 * Issue 12, defect 9 in JSON: {@code reward_range: [min, max]} bounds a continuous reward for UCB1,
 * and ucb1 on a continuous reward without it is refused with a message naming the fields.
 */
class ExperimentDefinitionRewardRangeJsonTest {
    private static final String UCB1_REVENUE = """
            {"experiment_id": "rev", "arms": [{"name": "a"}, {"name": "b"}], "policy": "ucb1",
             "reward": {"event": "Order Completed", "value": "revenue", "window": "PT24H"}%s}""";

    @Test
    void readsAndWritesTheRange() {
        ExperimentDefinition d = ExperimentDefinitionJson.parse(UCB1_REVENUE.formatted(", \"reward_range\": [0, 250.5]"));
        assertThat(d.rewardRange()).isEqualTo(new RewardRange(0, 250.5));
        String written = ExperimentDefinitionJson.write(d);
        assertThat(written).contains("\"reward_range\":[0.0,250.5]");
        assertThat(ExperimentDefinitionJson.parse(written)).isEqualTo(d);
        // Absent (or JSON null, as the SQL table writes it): no range, and none is written.
        ExperimentDefinition none = ExperimentDefinitionJson.parse(
                "{\"experiment_id\": \"e\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"reward_range\": null}");
        assertThat(none.rewardRange()).isNull();
        assertThat(ExperimentDefinitionJson.write(none)).doesNotContain("reward_range");
    }

    @Test
    void ucb1OnRevenueWithoutARangeIsRefused() {
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(UCB1_REVENUE.formatted("")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("experiment 'rev': policy ucb1 assumes rewards in [0, 1], but reward.value 'revenue' is"
                        + " unbounded: declare reward_range [min, max] (ucb1 then rescales rewards to [0, 1]) or use"
                        + " policy thompson or top_two");
    }

    @Test
    void malformedRangesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(UCB1_REVENUE.formatted(", \"reward_range\": [0]")))
                .hasMessage("reward_range must be [min, max] (two numbers), got [0]");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(UCB1_REVENUE.formatted(", \"reward_range\": {\"min\": 0}")))
                .hasMessage("reward_range must be [min, max] (two numbers), got {\"min\":0}");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(UCB1_REVENUE.formatted(", \"reward_range\": [\"0\", 5]")))
                .hasMessage("reward_range must be [min, max] (two numbers), got [\"0\",5]");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(UCB1_REVENUE.formatted(", \"reward_range\": [100, 0]")))
                .hasMessage("reward_range must be [min, max] with finite min < max, was [100.0, 0.0]");
    }
}
