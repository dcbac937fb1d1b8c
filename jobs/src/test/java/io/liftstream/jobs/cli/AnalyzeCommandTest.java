package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code liftstream analyze} over a fixture of good and bad lines (src/test/resources/analyze):
 * one answer per line, in order, ids echoed, gbstats' numbers where the fixture copies a gbstats
 * test case, exact field names and order, and an error line with a reason for every bad line.
 */
class AnalyzeCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path FIXTURE = Path.of("src/test/resources/analyze/fixture.jsonl");

    @TempDir Path dir;
    List<JsonNode> out;
    CliRun run;

    @BeforeEach
    void analyzeFixture() throws IOException {
        Path output = dir.resolve("out.jsonl");
        run = CliRun.of(List.of("analyze", "--input", FIXTURE.toString(), "--output", output.toString()));
        out = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            out.add(MAPPER.readTree(line));
        }
    }

    private JsonNode line(int i) {
        return out.get(i);
    }

    private JsonNode comparison(int i) {
        return line(i).get("comparisons").get(0);
    }

    @Test
    void oneAnswerPerLineInOrderEchoingIds() throws IOException {
        List<String> in = Files.readAllLines(FIXTURE, StandardCharsets.UTF_8);
        assertThat(run.exitCode).isZero();
        assertThat(out).hasSize(in.size());
        assertThat(line(0).get("id").asText()).isEqualTo("gb-welch");
        assertThat(line(5).get("id").isInt()).isTrue(); // a numeric id is echoed as a number
        assertThat(line(5).get("id").asInt()).isEqualTo(7);
        assertThat(line(14).get("id").asText()).isEqualTo("zero-control");
        assertThat(run.err).contains("analyze: 18 lines, 10 answered with an error");
    }

    @Test
    void fieldNamesAndOrderFollowTheContract() {
        assertThat(fields(line(0))).containsExactly("id", "status", "error", "srm_p_value", "sequential_srm_p_value",
                "arms", "comparisons");
        assertThat(fields(line(0).get("arms").get(0))).containsExactly("name", "n", "mean", "variance");
        assertThat(fields(comparison(0))).containsExactly("arm", "expected", "se", "ci_lower", "ci_upper", "p_value",
                "p_value_adjusted", "chance_to_win", "risk", "significant", "status", "absolute");
        assertThat(fields(line(8))).containsExactly("id", "status", "error", "srm_p_value", "sequential_srm_p_value",
                "arms", "comparisons");
    }

    @Test
    void welchMatchesGbstats() {
        JsonNode c = comparison(0);
        assertThat(line(0).get("status").asText()).isEqualTo("ok");
        assertThat(line(0).get("error").isNull()).isTrue();
        assertThat(c.get("arm").asText()).isEqualTo("b");
        assertThat(c.get("expected").asDouble()).isCloseTo(0.70732, within(5e-6));
        assertThat(c.get("ci_lower").asDouble()).isCloseTo(-0.03526, within(5e-6));
        assertThat(c.get("ci_upper").asDouble()).isCloseTo(1.44989, within(5e-6));
        assertThat(c.get("p_value").asDouble()).isCloseTo(0.06191, within(5e-6));
        assertThat(c.get("chance_to_win").isNull()).isTrue();
        assertThat(c.get("risk").isNull()).isTrue();
        assertThat(c.get("significant").asBoolean()).isFalse();
        JsonNode control = line(0).get("arms").get(0);
        assertThat(control.get("n").asLong()).isEqualTo(3407);
        assertThat(control.get("mean").asDouble()).isCloseTo(1396.87 / 3407, within(1e-12));
    }

    @Test
    void sequentialAndOneSidedNullBound() {
        JsonNode prop = comparison(1);
        assertThat(prop.get("ci_lower").asDouble()).isCloseTo(0.40098, within(5e-6));
        assertThat(prop.get("ci_upper").asDouble()).isCloseTo(0.60675, within(5e-6));
        assertThat(prop.get("significant").asBoolean()).isTrue();
        JsonNode greater = comparison(2);
        assertThat(greater.get("ci_lower").asDouble()).isCloseTo(-0.42356, within(5e-6));
        assertThat(greater.get("ci_upper").isNull()).isTrue();
    }

    @Test
    void bayesianMatchesGbstats() {
        JsonNode c = comparison(3);
        assertThat(c.get("expected").asDouble()).isCloseTo(0.04082, within(5e-6));
        assertThat(c.get("chance_to_win").asDouble()).isCloseTo(0.60918, within(5e-6));
        assertThat(c.get("risk").get(0).asDouble()).isCloseTo(0.0814, within(5e-6));
        assertThat(c.get("risk").get(1).asDouble()).isCloseTo(0.04058, within(5e-6));
        assertThat(c.get("p_value").isNull()).isTrue();
    }

    @Test
    void cupedMatchesGbstats() {
        JsonNode c = comparison(4);
        assertThat(c.get("expected").asDouble()).isCloseTo(0.50338, within(5e-6));
        assertThat(c.get("ci_lower").asDouble()).isCloseTo(-0.50969, within(5e-6));
        assertThat(c.get("ci_upper").asDouble()).isCloseTo(1.51646, within(5e-6));
    }

    @Test
    void groupSequentialAndMsprt() {
        JsonNode gst = comparison(5);
        // Third look at 10,000 of 20,000: z ≈ 3.4 crosses the boundary 2.989 of that look (looks at 20%, 40%, 50%).
        assertThat(gst.get("significant").asBoolean()).isTrue();
        assertThat(gst.get("ci_lower").asDouble()).isPositive();
        JsonNode msprt = comparison(6);
        // Running minimum: no new evidence, so the previous look's 0.2 stands.
        assertThat(msprt.get("p_value").asDouble()).isEqualTo(0.2);
    }

    @Test
    void controlByNameWeightsAndZeroWeightArms() {
        JsonNode l = line(7);
        assertThat(l.get("status").asText()).isEqualTo("ok");
        assertThat(l.get("srm_p_value").asDouble()).isEqualTo(1.0); // 1000 vs 1000; the holdout has weight 0
        JsonNode comparisons = l.get("comparisons");
        assertThat(comparisons).hasSize(2);
        assertThat(comparisons.get(0).get("arm").asText()).isEqualTo("a");
        assertThat(comparisons.get(1).get("arm").asText()).isEqualTo("holdout");
        assertThat(comparisons.get(0).get("expected").asDouble()).isEqualTo(0.0);
    }

    @Test
    void badLinesGiveReasons() {
        assertThat(error(8)).startsWith("not valid JSON");
        assertThat(line(8).get("id").isNull()).isTrue();
        assertThat(error(9)).isEqualTo("arms is required");
        assertThat(line(9).get("id").asText()).isEqualTo("no-arms");
        assertThat(error(10)).contains("method must be one of fixed, sequential, msprt, gst, bayesian");
        assertThat(error(11)).isEqualTo("unknown field 'sequential_tunning'");
        assertThat(error(12)).isEqualTo("arm 'control': a proportion's sum must be between 0 and n");
        assertThat(error(13)).isEqualTo("arm 'b': an arm has fewer than 2 units");
        assertThat(line(13).get("arms")).hasSize(2); // what could be computed is still reported
        assertThat(error(14)).isEqualTo("arm 'b': the control mean is 0, so a relative lift is undefined");
        assertThat(comparison(14).get("expected").isNull()).isTrue();
        assertThat(error(15)).isEqualTo("empty line");
        assertThat(error(16)).isEqualTo("a line must be a JSON object");
        assertThat(error(17)).isEqualTo("the current total n (10000) is below the last of gst.looks_n (16000)");
        assertThat(line(17).get("id").asText()).isEqualTo("gst-behind");
    }

    @Test
    void writesToStandardOutputByDefault() {
        CliRun r = CliRun.of(List.of("analyze", "--input", FIXTURE.toString()));
        assertThat(r.exitCode).isZero();
        assertThat(r.out.lines().count()).isEqualTo(18);
        assertThat(r.out.lines().findFirst().orElseThrow()).startsWith("{\"id\":\"gb-welch\",\"status\":\"ok\",\"error\":null,");
    }

    @Test
    void missingInputFileIsAUsageError() {
        CliRun r = CliRun.of(List.of("analyze", "--input", dir.resolve("nope.jsonl").toString()));
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.err).isEqualTo("liftstream: --input " + dir.resolve("nope.jsonl") + ": no such file\n");
    }

    private String error(int i) {
        assertThat(line(i).get("status").asText()).isEqualTo("error");
        return line(i).get("error").asText();
    }

    private static List<String> fields(JsonNode o) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
