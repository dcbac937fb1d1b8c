package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** {@code liftstream simulate bandit}: the JSON contract, reproducibility, usage errors. */
class SimulateBanditCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CliRun simulate(String... args) {
        List<String> all = new ArrayList<>(List.of("simulate", "bandit"));
        all.addAll(List.of(args));
        return CliRun.of(all);
    }

    @Test
    void printsOneJsonObjectWithTheContractFieldsFirst() throws Exception {
        CliRun run = simulate("--policy", "thompson", "--arms", "0.04,0.05,0.06", "--horizon", "20000", "--seed", "1",
                "--runs", "4");
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out.lines()).hasSize(1);
        JsonNode o = JSON.readTree(run.out);
        List<String> fields = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            fields.add(it.next());
        }
        assertThat(fields).startsWith("policy", "horizon", "runs", "regret_mean", "regret_se", "allocation", "lai_robbins_bound");
        assertThat(o.get("policy").asText()).isEqualTo("thompson");
        assertThat(o.get("horizon").asLong()).isEqualTo(20_000);
        assertThat(o.get("runs").asInt()).isEqualTo(4);
        assertThat(o.get("allocation")).hasSize(3);
        double share = 0;
        for (JsonNode a : o.get("allocation")) {
            share += a.asDouble();
        }
        assertThat(share).isCloseTo(1, within(1e-4));
        // Lai–Robbins constant 15.68 × ln 20,000.
        assertThat(o.get("lai_robbins_bound").asDouble()).isCloseTo(15.68 * Math.log(20_000), within(0.2));
        assertThat(o.get("regret_mean").asDouble()).isPositive().isLessThan(0.5 * 20_000 * 0.01);
        // Same seed, same output, byte for byte.
        assertThat(simulate("--policy", "thompson", "--arms", "0.04,0.05,0.06", "--horizon", "20000", "--seed", "1",
                "--runs", "4").out).isEqualTo(run.out);
    }

    @Test
    void uniformRegretIsTheMeanGapTimesTheHorizon() throws Exception {
        CliRun run = simulate("--policy", "uniform", "--arms", "0.04,0.05,0.06", "--horizon", "30000", "--runs", "3",
                "--batch", "10", "--delay", "5");
        JsonNode o = JSON.readTree(run.out);
        assertThat(o.get("regret_mean").asDouble()).isCloseTo(300, within(5.0));
        assertThat(o.get("batch").asInt()).isEqualTo(10);
        assertThat(o.get("delay").asInt()).isEqualTo(5);
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRun unknown = simulate("--policy", "greedy", "--arms", "0.1,0.2");
        assertThat(unknown.exitCode).isEqualTo(2);
        assertThat(unknown.err).contains("unknown policy 'greedy', expected one of fixed, uniform, thompson");
        CliRun rate = simulate("--policy", "thompson", "--arms", "0.1,1.2");
        assertThat(rate.exitCode).isEqualTo(2);
        assertThat(rate.err).contains("arm rates must be probabilities in [0, 1], got 1.2");
        CliRun oneArm = simulate("--policy", "ucb1", "--arms", "0.1");
        assertThat(oneArm.exitCode).isEqualTo(2);
        assertThat(oneArm.err).contains("need at least two arms");
        CliRun fixed = simulate("--policy", "fixed", "--arms", "0.1,0.2");
        assertThat(fixed.exitCode).isEqualTo(2);
        assertThat(fixed.err).contains("policy must be a bandit policy");
        CliRun notANumber = simulate("--policy", "thompson", "--arms", "0.1,abc");
        assertThat(notANumber.exitCode).isEqualTo(2);
        assertThat(notANumber.err).doesNotContain("\tat ");
    }
}
