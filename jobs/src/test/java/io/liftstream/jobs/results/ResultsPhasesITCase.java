package io.liftstream.jobs.results;

import static io.liftstream.jobs.testkit.ResultsLines.assigned;
import static io.liftstream.jobs.testkit.ResultsLines.holdout;
import static io.liftstream.jobs.testkit.ResultsLines.order;
import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.serde.JsonLines;
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
 * Issue 12, defect 5, replayed through {@code liftstream results} (embedded default, hourly
 * results): an A/A experiment at 90/10 with a 10 % holdout for a week while the base conversion
 * rate is 10 %, then at 50/50 with a 20 % holdout while the rate halves to 5 %. Pooled, the
 * treatment read −29 % and the results recommended stop (and the holdout share read a mismatch).
 * With phases no record recommends ship or stop (every one says continue), every comparison in
 * every record is consistent (ci_lower ≤ ci_upper, significant ⇔ the interval excludes 0), and the
 * last record names phase 2 and combines 2 phases.
 */
class ResultsPhasesITCase {
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final String EXP = "aa-phases";
    static final int USERS_PER_WEEK = 7000;

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir Path dir;

    static String definition(double treatmentWeight, double holdoutPct, Long timestamp) {
        return "{\"experiment_id\":\"" + EXP + "\",\"status\":\"running\","
                + "\"arms\":[{\"name\":\"control\",\"weight\":" + (1 - treatmentWeight) + "},"
                + "{\"name\":\"treatment\",\"weight\":" + treatmentWeight + "}],"
                + "\"holdout_pct\":" + holdoutPct + ","
                + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT24H\"},"
                + "\"analysis\":{\"method\":\"sequential\"}"
                + (timestamp == null ? "" : ",\"timestamp\":\"" + JsonLines.instant(timestamp) + "\"") + "}";
    }

    /** Decisions and orders of both weeks; A/A: whether a user converts does not depend on the arm. */
    private void fixture() throws Exception {
        List<String> decisions = new ArrayList<>();
        List<String> events = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(20261202);
        for (int week = 0; week < 2; week++) {
            double rate = week == 0 ? 0.10 : 0.05;
            int heldOutEvery = week == 0 ? 10 : 5;
            int treatedSeen = 0;
            for (int i = 0; i < USERS_PER_WEEK; i++) {
                String user = "u" + week + "-" + i;
                long t = T0 + week * 7 * DAY + i * (7 * DAY / USERS_PER_WEEK);
                if (i % heldOutEvery == 0) {
                    decisions.add(holdout(user, EXP, "control", t));
                } else {
                    // 90/10, then 50/50, in exact proportion (no sample ratio mismatch).
                    boolean treatment = week == 0 ? treatedSeen % 10 == 0 : treatedSeen % 2 == 0;
                    treatedSeen++;
                    decisions.add(assigned(user, EXP, treatment ? "treatment" : "control", t));
                }
                if (random.nextDouble() < rate) {
                    events.add(order(user, t + HOUR, 10));
                }
            }
        }
        Files.write(dir.resolve("experiments.jsonl"),
                List.of(definition(0.1, 10, null), definition(0.5, 20, T0 + 7 * DAY)));
        Files.write(dir.resolve("decisions.jsonl"), decisions);
        Files.write(dir.resolve("events.jsonl"), events);
    }

    @Test
    void anAaTestWhoseWeightsAndBaseRateChangeNeverShipsOrStops() throws Exception {
        fixture();
        List<String> args = new ArrayList<>(List.of("results",
                "--decisions", dir.resolve("decisions.jsonl").toString(),
                "--events", dir.resolve("events.jsonl").toString(),
                "--experiments", dir.resolve("experiments.jsonl").toString(),
                "--output", dir.resolve("results.jsonl").toString()));
        args.addAll(CliRun.embedded(dir.resolve("flink")));
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.err).isZero();

        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("results.jsonl"), StandardCharsets.UTF_8)) {
            records.add(mapper.readTree(line));
        }
        // Hourly over two weeks (plus the final record).
        assertThat(records).hasSizeGreaterThan(14 * 24);
        int comparisons = 0;
        for (JsonNode r : records) {
            String at = r.get("as_of").asText();
            assertThat(r.get("recommendation").asText()).as(at + ": " + r.get("reason").asText()).isEqualTo("continue");
            comparisons += consistent(at, r.get("comparisons"));
            if (!r.get("holdout").isNull()) {
                comparisons += consistent(at + " holdout", r.get("holdout").get("comparisons"));
                JsonNode srm = r.get("holdout").get("sequential_srm_p_value");
                assertThat(srm.isNull() || srm.asDouble() > 0.001).as(at + " holdout SRM " + srm).isTrue();
            }
        }
        assertThat(comparisons).as("comparisons with numbers").isGreaterThan(300);

        JsonNode first = records.get(0);
        assertThat(first.get("phase").asInt()).isEqualTo(1);
        JsonNode last = records.get(records.size() - 1);
        assertThat(last.get("phase").asInt()).isEqualTo(2);
        assertThat(last.get("phases_combined").asInt()).isEqualTo(2);
        assertThat(last.get("arms").get(0).get("n").asLong()).isEqualTo(5670 + 2800);
        assertThat(last.get("arms").get(1).get("n").asLong()).isEqualTo(630 + 2800);
        assertThat(last.get("holdout").get("arms").get(0).get("n").asLong()).isEqualTo(700 + 1400);
        // The point estimate of the combined A/A lift is small; pooled it was about −29 %.
        assertThat(Math.abs(last.get("comparisons").get(0).get("expected").asDouble())).isLessThan(0.15);
    }

    /** Checks every comparison with numbers; returns how many there were. */
    private static int consistent(String at, JsonNode comparisons) {
        int n = 0;
        for (JsonNode c : comparisons) {
            boolean significant = c.get("significant").asBoolean();
            if (c.get("ci_lower").isNull() && c.get("ci_upper").isNull()) {
                assertThat(significant).as(at).isFalse();
                continue;
            }
            double lower = c.get("ci_lower").isNull() ? Double.NEGATIVE_INFINITY : c.get("ci_lower").asDouble();
            double upper = c.get("ci_upper").isNull() ? Double.POSITIVE_INFINITY : c.get("ci_upper").asDouble();
            assertThat(lower).as(at).isLessThanOrEqualTo(upper);
            assertThat(significant).as(at + " " + c).isEqualTo(lower > 0 || upper < 0);
            n++;
        }
        return n;
    }
}
