package io.liftstream.jobs.results;

import static io.liftstream.jobs.testkit.ResultsLines.assigned;
import static io.liftstream.jobs.testkit.ResultsLines.order;
import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.CupedStats;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.RatioStats;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CUPED live through {@code liftstream results} (embedded default): a revenue guardrail with
 * {@code "cuped": {"lookback": "P7D"}}. Each user's orders in the 7 UTC days before the day of first
 * exposure are the covariate (an order 10 days before is not); the last record's guardrail equals
 * {@code analyze}'s CUPED result on the users' (x, p), and its standard error is well below the
 * unadjusted one on the same users. A ratio guardrail in the same definition (revenue per buyer:
 * denominator {@code "conversion"} of the same event) equals {@code analyze}'s delta-method result.
 */
class ResultsCupedAndRatioITCase {
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final String EXP = "cuped-live";
    static final int USERS = 600;

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir Path dir;

    static String definition() {
        return "{\"experiment_id\":\"" + EXP + "\",\"status\":\"running\","
                + "\"arms\":[{\"name\":\"control\"},{\"name\":\"treatment\"}],"
                + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT2H\"},"
                + "\"analysis\":{\"method\":\"fixed\",\"guardrails\":[{\"name\":\"revenue\",\"event\":\"Order Completed\","
                + "\"value\":\"revenue\",\"window\":\"PT24H\",\"cuped\":{\"lookback\":\"P7D\"}},"
                + "{\"name\":\"revenue_per_buyer\",\"event\":\"Order Completed\",\"value\":\"revenue\",\"window\":\"PT24H\","
                + "\"denominator\":{\"event\":\"Order Completed\",\"value\":\"conversion\"}}]}}";
    }

    @Test
    void theGuardrailIsAdjustedWithEachUsersPreExposureRevenue() throws Exception {
        List<String> decisions = new ArrayList<>();
        List<java.util.Map.Entry<Long, String>> events = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(20261202);
        CupedStats[] cuped = {CupedStats.EMPTY, CupedStats.EMPTY};
        SampleStats[] plain = {SampleStats.EMPTY, SampleStats.EMPTY};
        RatioStats[] ratio = {RatioStats.EMPTY, RatioStats.EMPTY};
        for (int i = 0; i < USERS; i++) {
            String user = "u" + i;
            int arm = i % 2;
            long t = T0 + i * (DAY / USERS);
            double p = 0;
            if (random.nextDouble() < 0.7) {
                p = Math.round(100 * 40 * random.nextDouble()) / 100.0;
                events.add(java.util.Map.entry(t - 3 * DAY, order(user, t - 3 * DAY, p)));
            }
            events.add(java.util.Map.entry(t - 10 * DAY, order(user, t - 10 * DAY, 500))); // before the lookback: not in the covariate
            double x = 0;
            if (random.nextDouble() < 0.95) {
                x = Math.max(0.01, Math.round(100 * (0.9 * p + 5 + 4 * random.nextGaussian() + 2 * arm)) / 100.0);
                events.add(java.util.Map.entry(t + HOUR, order(user, t + HOUR, x)));
            }
            decisions.add(assigned(user, EXP, arm == 0 ? "control" : "treatment", t));
            cuped[arm] = cuped[arm].add(x, p);
            plain[arm] = plain[arm].merge(SampleStats.of(1, x, x * x));
            ratio[arm] = ratio[arm].add(x, x > 0 ? 1 : 0); // revenue in the window per buyer in it
        }
        events.sort(java.util.Map.Entry.comparingByKey()); // in event time, as a log would be
        Files.write(dir.resolve("experiments.jsonl"), List.of(definition()));
        Files.write(dir.resolve("decisions.jsonl"), decisions);
        Files.write(dir.resolve("events.jsonl"), events.stream().map(java.util.Map.Entry::getValue).toList());

        List<String> args = new ArrayList<>(List.of("results",
                "--decisions", dir.resolve("decisions.jsonl").toString(),
                "--events", dir.resolve("events.jsonl").toString(),
                "--experiments", dir.resolve("experiments.jsonl").toString(),
                "--output", dir.resolve("results.jsonl").toString()));
        args.addAll(CliRun.embedded(dir.resolve("flink")));
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.err).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("results.jsonl"), StandardCharsets.UTF_8);
        JsonNode last = mapper.readTree(lines.get(lines.size() - 1));
        JsonNode g = last.get("guardrails").get(0);
        assertThat(g.get("metric").get("cuped").get("lookback").asText()).isEqualTo("PT168H");
        assertThat(g.get("arms").get(0).get("n").asLong()).isEqualTo(USERS / 2);
        JsonNode c = g.get("comparisons").get(0);

        AnalysisResult expected = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.MEAN).method(Method.FIXED).relative(true).alpha(0.05)
                .arms(List.of(new ArmInput("control", cuped[0].post(), cuped[0]),
                        new ArmInput("treatment", cuped[1].post(), cuped[1]))).build());
        AnalysisResult unadjusted = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.MEAN).method(Method.FIXED).relative(true).alpha(0.05)
                .arms(List.of(ArmInput.of("control", plain[0]), ArmInput.of("treatment", plain[1]))).build());
        AnalysisResult.Comparison e = expected.comparisons().get(0);
        assertThat(c.get("expected").asDouble()).isCloseTo(e.expected(), within(1e-9));
        assertThat(c.get("se").asDouble()).isCloseTo(e.se(), within(1e-9));
        assertThat(c.get("ci_lower").asDouble()).isCloseTo(e.ciLower(), within(1e-9));
        assertThat(c.get("ci_upper").asDouble()).isCloseTo(e.ciUpper(), within(1e-9));
        assertThat(c.get("p_value").asDouble()).isCloseTo(e.pValue(), within(1e-9));
        assertThat(e.se()).isLessThan(0.6 * unadjusted.comparisons().get(0).se());

        // The ratio metric: Σ revenue / Σ buyers, delta method, as analyze on the same sums.
        JsonNode rg = last.get("guardrails").get(1);
        assertThat(rg.get("metric").get("denominator").get("value").asText()).isEqualTo("conversion");
        assertThat(rg.get("error").isNull()).as(rg.toString()).isTrue();
        AnalysisResult.Comparison er = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.MEAN)
                .method(Method.FIXED).relative(true).alpha(0.05)
                .arms(List.of(ArmInput.ratio("control", ratio[0]), ArmInput.ratio("treatment", ratio[1]))).build())
                .comparisons().get(0);
        JsonNode rc = rg.get("comparisons").get(0);
        assertThat(rc.get("expected").asDouble()).isCloseTo(er.expected(), within(1e-9));
        assertThat(rc.get("se").asDouble()).isCloseTo(er.se(), within(1e-9));
        assertThat(rc.get("p_value").asDouble()).isCloseTo(er.pValue(), within(1e-9));
        System.out.printf("ratio live: expected %.6f se %.6f%n", er.expected(), er.se());
        System.out.printf("CUPED live: expected %.6f se %.6f (unadjusted se %.6f)%n", e.expected(), e.se(),
                unadjusted.comparisons().get(0).se());
    }
}
