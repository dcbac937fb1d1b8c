package io.liftstream.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.bandit.PolicyType;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;
import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.testkit.TableFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The scripts of {@code sql/experiments} on the embedded default: cart-recovery is defined as the
 * demo needs it, then its weights changed, paused, resumed and stopped by the generic scripts; each
 * script writes one new version that {@link ExperimentDefinitionJson} reads, every other setting
 * carried over from the version in force.
 */
public class ExperimentScriptsITCase {
    static final Path EXPERIMENTS = Path.of("..", "sql", "experiments");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    @TempDir Path dir;

    /** Runs a script as {@code ./liftstream sql -f} does, with {@code --set} variables; returns what it printed. */
    static String run(TableBacking backing, String script, Map<String, String> variables) throws Exception {
        StringWriter out = new StringWriter();
        SqlSession session = new SqlSession(SqlSession.withDefaults(new Configuration()),
                new SqlSession.Options(backing, null), variables, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        session.runFile(EXPERIMENTS.resolve(script), script);
        return out.toString();
    }

    static Map<String, String> at(String instant) {
        return Map.of("effective_at", "TIMESTAMP '" + instant.replace('T', ' ').replace("Z", "") + "'",
                "experiment_id", "cart-recovery");
    }

    /** The definitions written so far, by their timestamp (the analysis checked, then left out of the comparison). */
    static List<ExperimentDefinition> versions(List<String> lines) {
        return lines.stream().map(l -> {
            try {
                JsonNode o = MAPPER.readTree(l);
                ExperimentDefinition whole = ExperimentDefinitionJson.parse(o);
                assertThat(whole.analysis().method()).isEqualTo(io.liftstream.experiments.stats.Method.SEQUENTIAL);
                assertThat(whole.analysis().alpha()).isEqualTo(0.05);
                ((ObjectNode) o).remove("analysis");
                return ExperimentDefinitionJson.parse(o);
            } catch (Exception e) {
                throw new IllegalStateException(l, e);
            }
        }).sorted(Comparator.comparing(ExperimentDefinition::timestamp)).toList();
    }

    public static ExperimentDefinition cartRecovery(ExperimentStatus status, double[] weights, String at) {
        return ExperimentDefinition.builder("cart-recovery").status(status).trigger("cart_abandoned")
                .arms(List.of(new Arm("control", weights[0]), new Arm("discount", weights[1]), new Arm("free_shipping", weights[2])))
                .policy(PolicyType.THOMPSON).holdoutPct(5)
                .reward(new RewardSpec("Order Completed", "conversion", Duration.ofHours(24)))
                .minArmShare(0.01).burnIn(100).timestamp(Instant.parse(at)).build();
    }

    @Test
    void defineChangePauseResumeAndStopCartRecovery() throws Exception {
        TableBacking files = TableBacking.files(dir);
        run(files, "cart-recovery.sql", at("2026-11-20T00:00:00Z"));
        run(files, "cart-recovery-weights.sql", at("2026-11-21T00:00:00Z"));
        String paused = run(files, "pause.sql", at("2026-11-22T00:00:00Z"));
        run(files, "resume.sql", at("2026-11-23T00:00:00Z"));
        String stopped = run(files, "stop.sql", at("2026-11-24T00:00:00Z"));

        double[] initial = {0.34, 0.33, 0.33};
        double[] ramped = {0.2, 0.4, 0.4};
        assertThat(versions(TableFiles.lines(dir.resolve("liftstream.experiments")))).containsExactly(
                cartRecovery(ExperimentStatus.RUNNING, initial, "2026-11-20T00:00:00Z"),
                cartRecovery(ExperimentStatus.RUNNING, ramped, "2026-11-21T00:00:00Z"),
                cartRecovery(ExperimentStatus.PAUSED, ramped, "2026-11-22T00:00:00Z"),
                cartRecovery(ExperimentStatus.RUNNING, ramped, "2026-11-23T00:00:00Z"),
                cartRecovery(ExperimentStatus.STOPPED, ramped, "2026-11-24T00:00:00Z"));
        // Each change script prints the version now in force.
        assertThat(paused).contains("| cart-recovery | paused |").contains("2026-11-22 00:00:00.000");
        assertThat(stopped).contains("| cart-recovery | stopped |");
    }

    @Test
    void changingAnExperimentThatDoesNotExistWritesNothing() throws Exception {
        String out = run(TableBacking.files(dir), "pause.sql",
                Map.of("experiment_id", "no-such-experiment", "effective_at", "TIMESTAMP '2026-11-22 00:00:00'"));
        assertThat(out).contains("Empty set");
        assertThat(TableFiles.lines(dir.resolve("liftstream.experiments"))).isEmpty();
    }

    /**
     * The injection: {@code --set experiment_id="nope' OR '1'='1"} used to make the
     * {@code WHERE} of stop.sql true for every experiment, stopping cart-recovery. The value is now
     * one string literal: no experiment has that id, so nothing is written.
     */
    @Test
    void anInjectedExperimentIdStopsNothing() throws Exception {
        TableBacking files = TableBacking.files(dir);
        run(files, "cart-recovery.sql", at("2026-11-20T00:00:00Z"));
        String out = run(files, "stop.sql",
                Map.of("experiment_id", "nope' OR '1'='1", "effective_at", "TIMESTAMP '2026-11-24 00:00:00'"));
        assertThat(out).contains("Empty set");
        assertThat(versions(TableFiles.lines(dir.resolve("liftstream.experiments")))).containsExactly(
                cartRecovery(ExperimentStatus.RUNNING, new double[] {0.34, 0.33, 0.33}, "2026-11-20T00:00:00Z"));
    }
}
