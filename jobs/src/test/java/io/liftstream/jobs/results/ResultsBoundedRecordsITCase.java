package io.liftstream.jobs.results;

import static io.liftstream.jobs.testkit.OversizedLines.KB_720;
import static io.liftstream.jobs.testkit.OversizedLines.MIB;
import static io.liftstream.jobs.testkit.OversizedLines.assertTooLarge;
import static io.liftstream.jobs.testkit.OversizedLines.padded;
import static io.liftstream.jobs.testkit.ResultsLines.assigned;
import static io.liftstream.jobs.testkit.ResultsLines.order;
import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Issue 13 in the results job ({@code liftstream results} over files): a 1 MiB and a 720 KB line in
 * its inputs become {@code too_large} dead letters of at most 4 KiB of line, and the results are
 * byte for byte those of the same inputs without them.
 */
class ResultsBoundedRecordsITCase {
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void hugeLinesAreTooLargeDeadLettersAndChangeNoResult() throws Exception {
        String hugeDecision = padded(assigned("c9", ResultsCommandITCase.EXP, "control", T0 + 2 * MINUTE), MIB);
        String bigDecision = padded(assigned("t9", ResultsCommandITCase.EXP, "treatment", T0 + 2 * MINUTE), KB_720);
        String hugeEvent = padded(order("c1", T0 + 15 * MINUTE, 1000), MIB);
        String bigDefinition = padded(ResultsCommandITCase.definition("running", null).replace(ResultsCommandITCase.EXP, "other"), KB_720);

        Path clean = dir.resolve("clean");
        write(clean, ResultsCommandITCase.decisions(), ResultsCommandITCase.events(), ResultsCommandITCase.experiments());
        Path hostile = dir.resolve("hostile");
        List<String> decisions = new ArrayList<>(ResultsCommandITCase.decisions());
        decisions.add(3, hugeDecision);
        decisions.add(5, bigDecision);
        List<String> events = new ArrayList<>(ResultsCommandITCase.events());
        events.add(4, hugeEvent);
        List<String> experiments = new ArrayList<>(ResultsCommandITCase.experiments());
        experiments.add(1, bigDefinition);
        write(hostile, decisions, events, experiments);

        CliRun a = run(clean);
        CliRun b = run(hostile);
        assertThat(a.exitCode).as(a.err).isZero();
        assertThat(b.exitCode).as(b.err).isZero();

        assertThat(Files.readAllBytes(hostile.resolve("results.jsonl"))).isEqualTo(Files.readAllBytes(clean.resolve("results.jsonl")));
        List<String> cleanDead = Files.readAllLines(clean.resolve("results.dead-letters.jsonl"));
        List<String> dead = Files.readAllLines(hostile.resolve("results.dead-letters.jsonl"));
        assertThat(dead).hasSize(cleanDead.size() + 4);
        List<JsonNode> tooLarge = new ArrayList<>();
        for (String d : dead) {
            JsonNode n = mapper.readTree(d);
            if (n.get("reason").asText().startsWith("too_large")) {
                tooLarge.add(n);
            }
        }
        assertThat(dead.stream().filter(d -> !d.contains("too_large")).collect(Collectors.toList())).isEqualTo(cleanDead);
        // decisions, then events, then experiments, each in input order
        assertThat(tooLarge).hasSize(4);
        assertTooLarge(tooLarge.get(0), hugeDecision);
        assertTooLarge(tooLarge.get(1), bigDecision);
        assertTooLarge(tooLarge.get(2), hugeEvent);
        assertTooLarge(tooLarge.get(3), bigDefinition);
    }

    private static void write(Path dir, List<String> decisions, List<String> events, List<String> experiments) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("decisions.jsonl"), decisions);
        Files.write(dir.resolve("events.jsonl"), events);
        Files.write(dir.resolve("experiments.jsonl"), experiments);
    }

    private static CliRun run(Path dir) {
        List<String> args = new ArrayList<>(List.of("results",
                "--decisions", dir.resolve("decisions.jsonl").toString(),
                "--events", dir.resolve("events.jsonl").toString(),
                "--experiments", dir.resolve("experiments.jsonl").toString(),
                "--output", dir.resolve("results.jsonl").toString()));
        args.addAll(CliRun.embedded(dir.resolve("flink")));
        return CliRun.of(args);
    }
}
