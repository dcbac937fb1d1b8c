package io.liftstream.jobs.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.assignment.HashVersion;
import io.liftstream.experiments.assignment.Namespace;
import io.liftstream.experiments.bandit.PolicyType;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

class ExperimentDefinitionJsonTest {
    private static final String FULL = """
            {"experiment_id": "cart-recovery", "status": "paused", "trigger": "cart_abandoned",
             "arms": [{"name": "control", "weight": 0.2}, {"name": "discount", "weight": 0.3}, {"name": "free_shipping", "weight": 0.5}],
             "policy": "top_two", "coverage": 0.8, "hash_version": 2, "seed": "s1",
             "namespace": ["checkout", 0, 0.5], "holdout_pct": 5,
             "reward": {"event": "Order Completed", "value": "revenue", "window": "PT24H"},
             "frequency_cap": {"max": 3, "per": "P1D"}, "min_arm_share": 0.02, "burn_in": 50,
             "timestamp": "2026-11-23T10:00:00Z"}
            """;

    @Test
    void readsEveryField() {
        ExperimentDefinition d = ExperimentDefinitionJson.parse(FULL);
        assertThat(d.experimentId()).isEqualTo("cart-recovery");
        assertThat(d.status()).isEqualTo(ExperimentStatus.PAUSED);
        assertThat(d.trigger()).isEqualTo("cart_abandoned");
        assertThat(d.weights()).containsExactly(0.2, 0.3, 0.5);
        assertThat(d.arms().get(2).name()).isEqualTo("free_shipping");
        assertThat(d.policy()).isEqualTo(PolicyType.TOP_TWO);
        assertThat(d.coverage()).isEqualTo(0.8);
        assertThat(d.hashVersion()).isEqualTo(HashVersion.V2);
        assertThat(d.seed()).isEqualTo("s1");
        assertThat(d.namespace()).isEqualTo(new Namespace("checkout", 0, 0.5));
        assertThat(d.holdoutPct()).isEqualTo(5);
        assertThat(d.reward().event()).isEqualTo("Order Completed");
        assertThat(d.reward().value()).isEqualTo("revenue");
        assertThat(d.reward().window()).isEqualTo(Duration.ofHours(24));
        assertThat(d.frequencyCap().max()).isEqualTo(3);
        assertThat(d.frequencyCap().per()).isEqualTo(Duration.ofDays(1));
        assertThat(d.minArmShare()).isEqualTo(0.02);
        assertThat(d.burnIn()).isEqualTo(50);
        assertThat(d.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    }

    @Test
    void writesWhatItReads() {
        ExperimentDefinition d = ExperimentDefinitionJson.parse(FULL);
        assertThat(ExperimentDefinitionJson.parse(ExperimentDefinitionJson.write(d))).isEqualTo(d);
        assertThat(ExperimentDefinitionJson.write(d)).startsWith("{\"experiment_id\":\"cart-recovery\",\"status\":\"paused\"");
    }

    @Test
    void appliesDefaultsAndEqualWeights() {
        ExperimentDefinition d = ExperimentDefinitionJson.parse("""
                {"experiment_id": "e", "arms": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}]}""");
        assertThat(d.weights()).containsExactly(0.25, 0.25, 0.25, 0.25);
        assertThat(d.seed()).isEqualTo("e");
        assertThat(d.hashVersion()).isEqualTo(HashVersion.V1);
        assertThat(d.coverage()).isEqualTo(1);
        assertThat(d.policy()).isEqualTo(PolicyType.FIXED);
        assertThat(d.minArmShare()).isEqualTo(0.01);
        assertThat(d.burnIn()).isEqualTo(100);
    }

    @Test
    void refusesBadDefinitionsWithTheReason() {
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse("{\"experiment_id\": \"e\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"holdout\": 5}"))
                .hasMessage("unknown field 'holdout'");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse("{\"arms\": []}")).hasMessage("experiment_id is required");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse("{\"experiment_id\": \"e\"}"))
                .hasMessageContaining("arms must be a non-empty array");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(
                "{\"experiment_id\": \"e\", \"arms\": [{\"name\": \"a\", \"weight\": 0.5}, {\"name\": \"b\"}]}"))
                .hasMessage("give a weight for every arm or for none (an equal split)");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(
                "{\"experiment_id\": \"e\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"hash_version\": 3}"))
                .hasMessage("hash_version must be 1 or 2, was 3");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(
                "{\"experiment_id\": \"e\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"coverage\": \"all\"}"))
                .hasMessage("coverage must be a number, got \"all\"");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(
                "{\"experiment_id\": \"e\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"namespace\": [\"n\", 0.5]}"))
                .hasMessageContaining("namespace must be [\"namespace-id\", start, end]");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(
                "{\"experiment_id\": \"e\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"reward\": {\"event\": \"x\", \"window\": \"1 day\"}}"))
                .hasMessage("reward.window must be an ISO-8601 duration such as PT24H, was 1 day");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse(
                "{\"experiment_id\": \"e\", \"arms\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"policy\": \"greedy\"}"))
                .hasMessageContaining("unknown policy 'greedy'");
        assertThatThrownBy(() -> ExperimentDefinitionJson.parse("{\"experiment_id\": \"e\"} {\"experiment_id\": \"f\"}"))
                .hasMessageStartingWith("not valid JSON");
    }
}
