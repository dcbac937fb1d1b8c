package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code liftstream analyze} with ratio metrics (sums or per-user numerator and denominator) and
 * capping (absolute, percentile pooled over arms, with and without zeros), over
 * src/test/resources/analyze/ratio-cap.jsonl. Expected numbers: gbstats' ratio test, and caps and
 * moments computed by hand (numpy.percentile agrees: 42 and 46).
 */
class AnalyzeRatioAndCappingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path FIXTURE = Path.of("src/test/resources/analyze/ratio-cap.jsonl");

    @TempDir static Path dir;
    static List<JsonNode> out;
    static List<String> raw;

    @BeforeAll
    static void analyzeFixture() throws IOException {
        Path output = dir.resolve("out.jsonl");
        CliRun run = CliRun.of(List.of("analyze", "--input", FIXTURE.toString(), "--output", output.toString()));
        assertThat(run.exitCode).isZero();
        raw = Files.readAllLines(output, StandardCharsets.UTF_8);
        out = new ArrayList<>();
        for (String line : raw) {
            out.add(MAPPER.readTree(line));
        }
        assertThat(out).hasSize(Files.readAllLines(FIXTURE, StandardCharsets.UTF_8).size());
    }

    private static JsonNode arm(int line, int i) {
        return out.get(line).get("arms").get(i);
    }

    private static JsonNode comparison(int line) {
        return out.get(line).get("comparisons").get(0);
    }

    private static String error(int line) {
        assertThat(out.get(line).get("status").asText()).isEqualTo("error");
        return out.get(line).get("error").asText();
    }

    @Test
    void ratioFromSumsMatchesGbstats() {
        // gbstats test_get_metric_dfs_frequentist_ratio: expected 0.133333333, pValue 0.610663339.
        assertThat(out.get(0).get("status").asText()).isEqualTo("ok");
        assertThat(arm(0, 0).get("mean").asDouble()).isCloseTo(0.529411765, within(5e-10));
        assertThat(comparison(0).get("expected").asDouble()).isCloseTo(0.133333333, within(5e-10));
        assertThat(comparison(0).get("p_value").asDouble()).isCloseTo(0.610663339, within(5e-10));
    }

    @Test
    void ratioFromPerUserValuesEqualsRatioFromTheirSums() {
        // Line 2 gives the sums of line 1's values (n 4 / 5, Σm 45 / 80, Σm² 1025 / 2208, Σd 4 / 7,
        // Σd² 6 / 15, Σmd 75 / 180): same answer, apart from the id.
        assertThat(raw.get(1).replace("ratio-values", "X")).isEqualTo(raw.get(2).replace("ratio-sums", "X"));
        assertThat(arm(1, 0).get("mean").asDouble()).isEqualTo(45.0 / 4);
        assertThat(arm(1, 1).get("mean").asDouble()).isEqualTo(80.0 / 7);
        assertThat(out.get(1).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void absoluteCapAppliesToEveryUserBeforeTheSums() {
        // min(x, 25): a = 10, 25, 25, 5, 0 (mean 13, variance 132.5); b = 20, 25, 0, 25, 8 (15.6, 124.3).
        assertThat(arm(3, 0).get("mean").asDouble()).isCloseTo(13.0, within(1e-12));
        assertThat(arm(3, 0).get("variance").asDouble()).isCloseTo(132.5, within(1e-9));
        assertThat(arm(3, 1).get("mean").asDouble()).isCloseTo(15.6, within(1e-12));
        assertThat(arm(3, 1).get("variance").asDouble()).isCloseTo(124.3, within(1e-9));
        assertThat(comparison(3).get("expected").asDouble()).isCloseTo(2.6, within(1e-12));
    }

    @Test
    void percentileCapIsPooledOverArmsAndCanIgnoreZeros() {
        // The 80th percentile of all 10 values (0,0,5,8,10,20,30,40,50,100): h = 7.2, cap 42;
        // without the zeros (8 values): h = 5.6, cap 46.
        assertThat(arm(4, 0).get("mean").asDouble()).isCloseTo(17.4, within(1e-12));
        assertThat(arm(4, 0).get("variance").asDouble()).isCloseTo(318.8, within(1e-9));
        assertThat(arm(4, 1).get("mean").asDouble()).isCloseTo(22.0, within(1e-12));
        assertThat(arm(4, 1).get("variance").asDouble()).isCloseTo(352.0, within(1e-9));
        assertThat(arm(5, 0).get("mean").asDouble()).isCloseTo(18.2, within(1e-12));
        assertThat(arm(5, 1).get("mean").asDouble()).isCloseTo(22.8, within(1e-12));
        assertThat(arm(5, 1).get("variance").asDouble()).isCloseTo(395.2, within(1e-9));
    }

    @Test
    void cupedFromPerUserValuesCapsTheCovariateToo() {
        // Line 14 gives the sums of line 13's values capped at 25 (covariate included).
        assertThat(out.get(12).get("status").asText()).isEqualTo("ok");
        assertThat(raw.get(12).replace("cuped-values-capped", "X")).isEqualTo(raw.get(13).replace("cuped-sums-capped", "X"));
    }

    @Test
    void capsLikeGrowthBookSql() {
        // A ratio's numerator and denominator each at its own percentile (medians 10 and 1, pooled over
        // the arms); CUPED's covariate at the value's threshold (42, from the experiment-period values).
        assertThat(out.get(14).get("status").asText()).isEqualTo("ok");
        assertThat(raw.get(14).replace("ratio-values-p50", "X")).isEqualTo(raw.get(15).replace("ratio-sums-p50", "X"));
        assertThat(arm(14, 0).get("mean").asDouble()).isEqualTo(25.0 / 3);
        assertThat(out.get(16).get("status").asText()).isEqualTo("ok");
        assertThat(raw.get(16).replace("cuped-values-p80", "X")).isEqualTo(raw.get(17).replace("cuped-sums-p80", "X"));
    }

    @Test
    void badRatioAndCapLinesSayWhy() {
        assertThat(error(6)).isEqualTo("cap needs per-user values: arm 'a' gives sums");
        assertThat(error(7)).isEqualTo("arm 'a'.denominator is required for metric \"ratio\"");
        assertThat(error(8)).isEqualTo("arm 'a'.denominator is only for metric \"ratio\"");
        assertThat(error(9)).isEqualTo("arm 'b': a ratio metric's denominator sums to 0 in an arm, so its ratio is undefined");
        assertThat(out.get(9).get("arms")).hasSize(2); // the arms are still reported
        assertThat(error(10)).isEqualTo("cap: cap.value of a percentile cap must be in (0, 1], e.g. 0.99, was 99.0");
        assertThat(error(11)).isEqualTo("arm 'a'.denominator.values must have one number per user (3), had 2");
    }
}
