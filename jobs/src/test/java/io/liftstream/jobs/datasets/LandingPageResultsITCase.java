package io.liftstream.jobs.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.liftstream.experiments.stats.AnalysisRequest;
import io.liftstream.experiments.stats.AnalysisResult;
import io.liftstream.experiments.stats.Analyzer;
import io.liftstream.experiments.stats.ArmInput;
import io.liftstream.experiments.stats.Method;
import io.liftstream.experiments.stats.MetricType;
import io.liftstream.experiments.stats.SampleStats;
import io.liftstream.jobs.results.ResultsFileOutputs;
import io.liftstream.jobs.results.ResultsFiles;
import io.liftstream.jobs.results.ResultsJob;
import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.testkit.ResultsLines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The landing-page A/B test of {@code ../shared/data/ab-test-landing-page} (294,478 rows) replayed
 * through the results job (skipped when the data is absent).
 *
 * <p>Mapping, one CSV row {@code user_id,timestamp,group,landing_page,converted} at a time, rows
 * sorted by timestamp (the file is not in time order), timestamps read as UTC and cut to
 * milliseconds:
 * <ul>
 *   <li>every row is a decision exposing {@code user_id} to the arm {@code landing_page} (the page
 *       the user saw; {@code group} is ignored) at {@code timestamp}, reason {@code assigned};</li>
 *   <li>a row with {@code converted = 1} is also an {@code Order Completed} event of the user at the
 *       same instant (an exposure applies before an outcome of the same millisecond);</li>
 *   <li>the definitions: arms old_page and new_page, 50/50, reward Order Completed, conversion,
 *       window 30 days (longer than the 22 days of data); one experiment analysed with
 *       {@code sequential} (relative lift), one with {@code fixed} (absolute lift).</li>
 * </ul>
 * What the definitions imply: a user counts once, in the page of their first row; a user seen on
 * both pages (1,998 of them) is an exposure conflict, still in the first page's arm; repeated rows of
 * a user (3,894 users have two) add no user, and a conversion on any row counts once. So 145,293
 * users saw old_page first, 17,723 of them converted; 145,291 new_page, 17,450 converted.
 *
 * <p>The test computes these straight from the CSV with plain Java, the fixed-horizon p-value with
 * commons-math's normal distribution, and checks the job against both and against {@code analyze}'s
 * {@link Analyzer} on the same sufficient statistics; the sequential p-value never increases from
 * one daily result to the next.
 */
class LandingPageResultsITCase {
    private static final String SEQ = "landing-page-sequential";
    private static final String FIXED = "landing-page-fixed";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    @TempDir Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    static Path data(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    record Row(String user, String timestamp, String page, boolean converted, int line) {
        long millis() {
            return LocalDateTime.parse(timestamp.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }

    @Test
    void replayGivesTheNumbersTheDefinitionsImply() throws Exception {
        Path csv = data("ab-test-landing-page/ab_data.csv");
        assumeTrue(csv != null, "../shared/data/ab-test-landing-page is absent");
        List<Row> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(csv)) {
            r.readLine();
            int i = 0;
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(",");
                rows.add(new Row(f[0], f[1], f[3], f[4].equals("1"), i++));
            }
        }
        assertThat(rows).hasSize(294_478);
        rows.sort(Comparator.comparing(Row::timestamp).thenComparingInt(Row::line));

        // Independently: first page per user, converted on any row, conflicts.
        Map<String, String> firstPage = new HashMap<>();
        Set<String> converted = new HashSet<>();
        Set<String> conflicted = new HashSet<>();
        for (Row row : rows) {
            String first = firstPage.putIfAbsent(row.user(), row.page());
            if (first != null && !first.equals(row.page())) {
                conflicted.add(row.user());
            }
            if (row.converted()) {
                converted.add(row.user());
            }
        }
        long[] n = new long[2];
        long[] conversions = new long[2];
        firstPage.forEach((user, page) -> {
            int arm = page.equals("old_page") ? 0 : 1;
            n[arm]++;
            if (converted.contains(user)) {
                conversions[arm]++;
            }
        });
        assertThat(n).containsExactly(145_293, 145_291);
        assertThat(conversions).containsExactly(17_723, 17_450);
        assertThat(conflicted).hasSize(1_998);

        // Inputs for the job.
        Path decisions = dir.resolve("decisions.jsonl");
        Path events = dir.resolve("events.jsonl");
        try (BufferedWriter d = Files.newBufferedWriter(decisions); BufferedWriter e = Files.newBufferedWriter(events)) {
            for (Row row : rows) {
                long t = row.millis();
                for (String experiment : List.of(SEQ, FIXED)) {
                    d.write(ResultsLines.decision(row.user(), experiment, row.page(), false, "assigned", t)
                            .replace("\"decision_id\":\"" + experiment + "-" + row.user() + "-" + t + "\"",
                                    "\"decision_id\":\"" + row.timestamp() + "#" + row.line() + "\""));
                    d.newLine();
                }
                if (row.converted()) {
                    e.write(ResultsLines.order(row.user(), t, 0));
                    e.newLine();
                }
            }
        }
        Path experiments = dir.resolve("experiments.jsonl");
        String arms = "\"arms\":[{\"name\":\"old_page\",\"weight\":0.5},{\"name\":\"new_page\",\"weight\":0.5}],"
                + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"P30D\"}";
        Files.write(experiments, List.of(
                "{\"experiment_id\":\"" + SEQ + "\"," + arms + ",\"analysis\":{\"method\":\"sequential\"}}",
                "{\"experiment_id\":\"" + FIXED + "\"," + arms + ",\"analysis\":{\"method\":\"fixed\",\"relative\":false}}"));

        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "1s");
        conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        conf.setString("parallelism.default", String.valueOf(MiniClusters.PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        conf.setString("liftstream.results.cadence", "1d");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ResultsFileOutputs out = new ResultsFileOutputs(dir.resolve("results.jsonl"), null);
        new ResultsJob(new ResultsFiles(decisions.toString(), events.toString(), experiments.toString()), out, conf).run(env);
        out.finish();
        assertThat(Files.readAllLines(out.deadLetters())).isEmpty();

        Map<String, List<JsonNode>> byExperiment = new HashMap<>();
        for (String line : Files.readAllLines(out.results(), StandardCharsets.UTF_8)) {
            JsonNode r = mapper.readTree(line);
            byExperiment.computeIfAbsent(r.get("experiment_id").asText(), k -> new ArrayList<>()).add(r);
        }
        List<JsonNode> seq = byExperiment.get(SEQ);
        List<JsonNode> fixed = byExperiment.get(FIXED);
        assertThat(seq).hasSizeGreaterThan(20); // a result per day of data, and the final one
        for (List<JsonNode> results : List.of(seq, fixed)) {
            JsonNode last = results.get(results.size() - 1);
            assertThat(last.get("exposure_conflicts").asLong()).isEqualTo(1_998);
            for (int arm = 0; arm < 2; arm++) {
                JsonNode a = last.get("arms").get(arm);
                assertThat(a.get("n").asLong()).isEqualTo(n[arm]);
                assertThat(a.get("mean").asDouble()).isCloseTo((double) conversions[arm] / n[arm], within(1e-15));
            }
        }

        // Fixed horizon, absolute lift: two-sided z-test with commons-math (n − 1 aside, Welch's t is z here).
        double p0 = (double) conversions[0] / n[0];
        double p1 = (double) conversions[1] / n[1];
        double se = Math.sqrt(p0 * (1 - p0) / n[0] + p1 * (1 - p1) / n[1]);
        double z = (p1 - p0) / se;
        double pTwoSided = 2 * new NormalDistribution().cumulativeProbability(-Math.abs(z));
        JsonNode fixedComparison = fixed.get(fixed.size() - 1).get("comparisons").get(0);
        assertThat(fixedComparison.get("expected").asDouble()).isCloseTo(p1 - p0, within(1e-15));
        assertThat(fixedComparison.get("p_value").asDouble()).isCloseTo(pTwoSided, within(1e-4));
        assertThat(pTwoSided).isCloseTo(0.1208, within(0.0005));
        assertThat(fixed.get(fixed.size() - 1).get("recommendation").asText()).isEqualTo("continue");

        // The same sufficient statistics through analyze's Analyzer give the job's numbers exactly.
        List<ArmInput> stats = List.of(
                ArmInput.of("old_page", SampleStats.of(n[0], conversions[0], conversions[0])),
                ArmInput.of("new_page", SampleStats.of(n[1], conversions[1], conversions[1])));
        AnalysisResult analyzedFixed = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION)
                .method(Method.FIXED).relative(false).arms(stats).build());
        assertThat(fixedComparison.get("p_value").asDouble()).isEqualTo(analyzedFixed.comparisons().get(0).pValue());
        assertThat(fixedComparison.get("ci_lower").asDouble()).isEqualTo(analyzedFixed.comparisons().get(0).ciLower());
        JsonNode lastSeq = seq.get(seq.size() - 1);
        AnalysisResult analyzedSeq = Analyzer.analyze(AnalysisRequest.builder().metric(MetricType.PROPORTION)
                .method(Method.SEQUENTIAL).arms(stats).build());
        assertThat(lastSeq.get("comparisons").get(0).get("expected").asDouble())
                .isEqualTo(analyzedSeq.comparisons().get(0).expected());
        // The interval is the running intersection of the daily looks' intervals: inside the last look's.
        JsonNode lastComparison = lastSeq.get("comparisons").get(0);
        assertThat(lastComparison.get("ci_lower").asDouble())
                .isGreaterThanOrEqualTo(analyzedSeq.comparisons().get(0).ciLower());
        assertThat(lastComparison.get("ci_upper").asDouble())
                .isLessThanOrEqualTo(analyzedSeq.comparisons().get(0).ciUpper());
        assertThat(lastSeq.get("srm_p_value").asDouble()).isEqualTo(analyzedSeq.srmPValue());
        // Always valid: the job's p-value is the running minimum, at most the one-look value.
        assertThat(lastSeq.get("comparisons").get(0).get("p_value").asDouble())
                .isLessThanOrEqualTo(analyzedSeq.comparisons().get(0).pValue());
        assertThat(lastSeq.get("recommendation").asText()).isEqualTo("continue");
        double previous = 1.0;
        for (JsonNode r : seq) {
            JsonNode c = r.get("comparisons").get(0);
            if (c.get("p_value").isNumber()) {
                assertThat(c.get("p_value").asDouble()).isLessThanOrEqualTo(previous);
                previous = c.get("p_value").asDouble();
                // Every record consistent: significant iff the interval excludes 0, never inverted.
                double lower = c.get("ci_lower").asDouble();
                double upper = c.get("ci_upper").asDouble();
                assertThat(lower).isLessThanOrEqualTo(upper);
                assertThat(c.get("significant").asBoolean()).isEqualTo(lower > 0 || upper < 0);
            }
            assertThat(r.get("sequential_srm_p_value").asDouble()).isGreaterThan(0.001);
        }
        System.out.println("landing page, last sequential result: " + lastSeq);
        System.out.println("landing page, last fixed result: " + fixed.get(fixed.size() - 1));
    }
}
