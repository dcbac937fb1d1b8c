package io.liftstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code liftstream demo} end to end, in process, on a smaller simulated week: RocksDB state,
 * checkpoints on, parallelism 2: the embedded default, read from {@code flink-conf/embedded} as
 * {@code ./liftstream} does. Everything is checked against the files the jobs wrote, not against
 * the simulator: the bandit's allocation moves to the best message, the holdout share is the
 * definition's, opted-out users get {@code consent}, every response answers a treated or untreated
 * decision within its window, the results name the three arms, and the report is self-contained.
 */
class DemoCommandITCase {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static Path output;
    static CliRun run;

    @BeforeAll
    static void runTheDemo() {
        output = dir.resolve("demo");
        List<String> args = new ArrayList<>(List.of("demo", "--shoppers", "9000", "--seed", "3", "--output", output.toString()));
        args.addAll(CliRun.embedded(dir));
        run = CliRun.of(args);
    }

    @Test
    void theDemoRunsEveryStepAndPrintsTheSummary() throws Exception {
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out)
                .contains("Liftstream demo: a simulated shop, 9,000 shoppers over 7 days (seed 3)")
                .contains("1. experiment  sql/experiments/cart-recovery.sql", "2. shop", "3. decisions", "4. results")
                .containsPattern("trigger job [0-9,]+ events \\([0-9,]+ late, [0-9,]+ dead-lettered, as simulated: yes\\)")
                .contains("Allocation of the recovery messages per simulated day", "holdout:", "consent:",
                        "lift vs control [always-valid CI]", "recommendation:", "because ")
                .containsPattern("\n  control +[0-9,]+ +[0-9,]+ +[0-9.]+%  \\(control\\)")
                .containsPattern("\n  discount +[0-9,]+ +[0-9,]+ +[0-9.]+% +[-+][0-9.]+% \\[")
                .containsPattern("\n  free_shipping +[0-9,]+ +[0-9,]+ +[0-9.]+% +[-+][0-9.]+% \\[");
        List<String> triggers = Files.readAllLines(output.resolve("triggers.jsonl"));
        long cartAbandoned = triggers.stream().filter(t -> t.contains("\"trigger\":\"cart_abandoned\"")).count();
        assertThat(Files.readAllLines(output.resolve("decisions.jsonl"))).hasSize((int) cartAbandoned);
    }

    @Test
    void theExperimentComesFromTheSqlScript() throws Exception {
        List<JsonNode> definitions = new ArrayList<>();
        try (var files = Files.list(output.resolve("tables").resolve("liftstream.experiments"))) {
            for (Path p : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(p)) {
                    definitions.add(JSON.readTree(line));
                }
            }
        }
        assertThat(definitions).hasSize(1);
        JsonNode d = definitions.get(0);
        assertThat(d.path("experiment_id").asText()).isEqualTo("cart-recovery");
        assertThat(d.path("policy").asText()).isEqualTo("thompson");
        assertThat(d.path("holdout_pct").asDouble()).isEqualTo(5.0);
        assertThat(d.path("reward").path("window").asText()).isEqualTo("PT24H");
    }

    @Test
    void theAllocationConvergesOnTheBestMessage() throws Exception {
        // Treated decisions per simulated day (from the start of the shop), by arm.
        Instant start = Instant.parse("2026-11-20T06:00:00Z");
        TreeMap<Long, Map<String, Integer>> byDay = new TreeMap<>();
        for (JsonNode d : lines("decisions.jsonl")) {
            String reason = d.path("reason").asText();
            if (reason.equals("assigned") || reason.equals("sticky")) {
                long day = (Instant.parse(d.path("timestamp").asText()).toEpochMilli() - start.toEpochMilli()) / 86_400_000L;
                byDay.computeIfAbsent(day, k -> new HashMap<>()).merge(d.path("arm").asText(), 1, Integer::sum);
            }
        }
        assertThat(byDay.firstKey()).isZero();
        double first = share(byDay.get(0L), "free_shipping");
        double last = share(byDay.get(6L), "free_shipping");
        System.out.printf("DemoCommandITCase: free_shipping share day 1 %.3f, day 7 %.3f (%s)%n", first, last, byDay);
        assertThat(byDay.get(6L).values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(100);
        assertThat(first).as("day 1 is the burn-in: an equal split").isBetween(0.2, 0.45);
        assertThat(last).as("day 7: %s", byDay.get(6L)).isGreaterThan(1.0 / 3).isGreaterThan(first + 0.25);
    }

    @Test
    void theHoldoutIsFivePercentOfTheUsers() throws Exception {
        Map<String, String> firstGroup = new HashMap<>();
        for (JsonNode d : lines("decisions.jsonl")) {
            String reason = d.path("reason").asText();
            if (reason.equals("holdout") || reason.equals("assigned") || reason.equals("sticky")) {
                firstGroup.putIfAbsent(d.path("user_id").asText(), reason.equals("holdout") ? "holdout" : "treated");
            }
        }
        long holdout = firstGroup.values().stream().filter("holdout"::equals).count();
        double share = (double) holdout / firstGroup.size();
        assertThat(firstGroup.size()).isGreaterThan(1000);
        assertThat(share).isBetween(0.03, 0.07);
        JsonNode last = lastResult();
        assertThat(last.path("holdout").path("arms").get(0).path("n").asLong()).isEqualTo(holdout);
    }

    @Test
    void optedOutUsersGetConsentAndNothingElse() throws Exception {
        Map<String, Instant> optedOut = new HashMap<>();
        for (JsonNode c : lines("control.jsonl")) {
            assertThat(c.path("status").asText()).isEqualTo("opt_out");
            optedOut.put(c.path("user_id").asText(), Instant.parse(c.path("timestamp").asText()));
        }
        assertThat(optedOut).isNotEmpty();
        int consent = 0;
        for (JsonNode d : lines("decisions.jsonl")) {
            Instant since = optedOut.get(d.path("user_id").asText());
            boolean shouldRefuse = since != null && !Instant.parse(d.path("timestamp").asText()).isBefore(since);
            assertThat(d.path("reason").asText().equals("consent")).as("%s (opted out %s)", d, since).isEqualTo(shouldRefuse);
            if (shouldRefuse) {
                consent++;
                assertThat(d.path("in_holdout").asBoolean()).isFalse();
                assertThat(d.path("arm").asText()).isEqualTo("control"); // the default experience
            }
        }
        assertThat(consent).isPositive();
        assertThat(run.out).containsPattern("consent: " + String.format("%,d", consent) + " decisions for");
    }

    @Test
    void everyOutcomeRespondsToADecisionWithinItsWindow() throws Exception {
        Map<String, JsonNode> decisions = new HashMap<>();
        for (JsonNode d : lines("decisions.jsonl")) {
            decisions.put(d.path("decision_id").asText(), d);
        }
        List<JsonNode> outcomes = lines("outcomes.jsonl");
        assertThat(outcomes).isNotEmpty();
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (JsonNode o : outcomes) {
            assertThat(o.path("event").asText()).isEqualTo("Order Completed");
            JsonNode d = decisions.get(o.path("properties").path("decision_id").asText());
            assertThat(d).as("the decision of %s", o).isNotNull();
            assertThat(o.path("userId").asText()).isEqualTo(d.path("user_id").asText());
            long delay = Instant.parse(o.path("timestamp").asText()).toEpochMilli() - Instant.parse(d.path("timestamp").asText()).toEpochMilli();
            assertThat(delay).isPositive().isLessThanOrEqualTo(86_400_000L);
            assertThat(seen.add(o.path("messageId").asText())).isTrue();
            assertThat(o.path("timestamp").asText()).isGreaterThanOrEqualTo(previous);
            previous = o.path("timestamp").asText();
        }
    }

    @Test
    void theResultsTableHasTheThreeArms() throws Exception {
        List<JsonNode> results = lines("results.jsonl");
        assertThat(results.size()).isGreaterThan(100); // hourly over more than a week
        JsonNode last = lastResult();
        List<String> arms = new ArrayList<>();
        last.path("arms").forEach(a -> arms.add(a.path("name").asText()));
        assertThat(arms).containsExactly("control", "discount", "free_shipping");
        List<String> compared = new ArrayList<>();
        last.path("comparisons").forEach(c -> compared.add(c.path("arm").asText()));
        assertThat(compared).containsExactly("discount", "free_shipping");
        assertThat(last.path("recommendation").asText()).isIn("continue", "ship free_shipping", "ship discount", "stop");
        assertThat(last.path("reason").asText()).isNotBlank();
        assertThat(run.out).contains("recommendation: " + last.path("recommendation").asText());
    }

    @Test
    void theReportIsSelfContainedWithTwoSvgCharts() throws Exception {
        Path report = output.resolve("report.html");
        assertThat(report).exists();
        String html = Files.readString(report);
        assertThat(html.split("<svg", -1)).hasSize(3);
        assertThat(html).contains("Allocation per arm over time", "confidence sequence", "free_shipping", "</svg>", "</html>");
        assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "@import", "<img");
    }

    private static List<JsonNode> lines(String file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(output.resolve(file))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static JsonNode lastResult() throws IOException {
        List<JsonNode> results = lines("results.jsonl");
        return results.get(results.size() - 1);
    }

    private static double share(Map<String, Integer> counts, String arm) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return total == 0 ? 0 : (double) counts.getOrDefault(arm, 0) / total;
    }
}
