package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.util.List;

class SimulateAaCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void printsTheFalsePositiveRateAsJson() throws Exception {
        CliRun r = CliRun.of(List.of("simulate", "aa", "--method", "msprt", "--experiments", "100", "--looks", "10",
                "--seed", "1"));
        assertThat(r.exitCode).isZero();
        JsonNode o = MAPPER.readTree(r.out);
        assertThat(o.get("method").asText()).isEqualTo("msprt");
        assertThat(o.get("experiments").asInt()).isEqualTo(100);
        double rate = o.get("false_positive_rate").asDouble();
        assertThat(rate).isEqualTo(o.get("false_positives").asInt() / 100.0);
        assertThat(o.get("monte_carlo_se").asDouble()).isEqualTo(Math.sqrt(rate * (1 - rate) / 100));
        assertThat(CliRun.of(List.of("simulate", "aa", "--method", "msprt", "--experiments", "100", "--looks", "10",
                "--seed", "1")).out).isEqualTo(r.out);
    }

    @Test
    void unknownMethodIsAUsageError() {
        CliRun r = CliRun.of(List.of("simulate", "aa", "--method", "bayesian"));
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains("--method must be sequential, msprt, gst or fixed");
    }
}
