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
        CliRun r = CliRun.of(List.of("simulate", "aa", "--method", "wald"));
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).contains("--method must be sequential, msprt, gst, fixed or bayesian");
        CliRun bayesian = CliRun.of(List.of("simulate", "aa", "--method", "bayesian"));
        assertThat(bayesian.exitCode).isEqualTo(2);
        assertThat(bayesian.err).contains("--method bayesian needs --through results");
        CliRun through = CliRun.of(List.of("simulate", "aa", "--method", "msprt", "--through", "flink"));
        assertThat(through.exitCode).isEqualTo(2);
        assertThat(through.err).contains("--through must be analyzer or results");
    }

    /** {@code --through results}: the results job's per-look computation, its counts in the JSON. */
    @Test
    void throughResultsCountsRecommendationsAndInconsistentRecords() throws Exception {
        CliRun r = CliRun.of(List.of("simulate", "aa", "--through", "results", "--method", "gst", "--experiments",
                "20", "--looks", "24", "--users-per-look", "100", "--seed", "3"));
        assertThat(r.exitCode).isZero();
        JsonNode o = MAPPER.readTree(r.out);
        assertThat(o.get("through").asText()).isEqualTo("results");
        assertThat(o.get("looks").asInt()).isEqualTo(24);
        int fp = o.get("false_positives").asInt();
        assertThat(o.get("false_positive_rate").asDouble()).isEqualTo(fp / 20.0);
        // every gst experiment ends: a significant ship/stop, or stop at gst_max_n (the 24th look)
        assertThat(fp + o.get("stopped_without_effect").asInt()).isEqualTo(20);
        assertThat(o.get("inconsistent_records").asLong()).isZero();
        assertThat(o.get("records").asLong()).isBetween(20L, 20L * 24);
    }
}
