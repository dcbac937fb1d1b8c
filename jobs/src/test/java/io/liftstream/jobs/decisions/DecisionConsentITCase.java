package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.decisions.DecisionFixtures.HOUR;
import static io.liftstream.jobs.decisions.DecisionFixtures.MINUTE;
import static io.liftstream.jobs.decisions.DecisionFixtures.SECOND;
import static io.liftstream.jobs.decisions.DecisionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.results.ResultsFileOutputs;
import io.liftstream.jobs.results.ResultsFiles;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.results.ResultsJob;
import io.liftstream.jobs.testkit.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision job over files (MiniCluster, parallelism 2, {@code state-retention} 1 day): an
 * opt-out holds three days later; an erased user stays refused; a control line far behind its
 * stream is applied (not dead-lettered) and counted; "stop a in 7 days" followed by "pause b now"
 * pauses b now, and the results job reports b paused from the same instant.
 */
class DecisionConsentITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    static final long DAY = 24 * HOUR;
    static final String ARMS = "\"arms\":[{\"name\":\"x\",\"weight\":0.5},{\"name\":\"y\",\"weight\":0.5}],"
            + "\"reward\":{\"event\":\"Order Completed\",\"value\":\"conversion\",\"window\":\"PT30M\"}";
    static final String A = "{\"experiment_id\":\"a\"," + ARMS + "}";
    static final String B = "{\"experiment_id\":\"b\"," + ARMS + "}";
    static final String A_STOPPED_IN_7_DAYS = "{\"experiment_id\":\"a\",\"status\":\"stopped\"," + ARMS
            + ",\"timestamp\":\"" + Instant.ofEpochMilli(T0 + 7 * DAY) + "\"}";
    static final String B_PAUSED_NOW = "{\"experiment_id\":\"b\",\"status\":\"paused\"," + ARMS
            + ",\"timestamp\":\"" + Instant.ofEpochMilli(T0 + HOUR) + "\"}";

    @TempDir static Path dir;
    static Map<String, JsonNode> decisions = new LinkedHashMap<>();
    static List<String> deadLetters;
    static JobExecutionResult result;
    static Path decisionsFile;
    static Path experiments;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void run() throws Exception {
        experiments = write("experiments.jsonl", List.of(A, B, A_STOPPED_IN_7_DAYS, B_PAUSED_NOW));
        Path control = write("control.jsonl", List.of(
                DecisionFixtures.consent("opted-out", "opt_out", T0),
                DecisionFixtures.consent("erased", "opt_out", T0 + 10 * SECOND),
                DecisionFixtures.deleteUser("erased", T0 + 20 * SECOND),
                DecisionFixtures.consent("erased", "opt_in", T0 + 30 * SECOND),
                DecisionFixtures.consent("someone", "opt_out", T0 + 200 * SECOND),
                DecisionFixtures.consent("late", "opt_out", T0 + 5 * SECOND))); // 195 s behind its stream
        Path requests = write("requests.jsonl", List.of(
                DecisionFixtures.request("b-before", "u1", "b", T0 + 30 * MINUTE),
                DecisionFixtures.request("b-after", "u2", "b", T0 + 2 * HOUR),
                DecisionFixtures.request("a-running", "u3", "a", T0 + 2 * HOUR),
                DecisionFixtures.request("opted-out", "opted-out", "a", T0 + 3 * DAY),
                DecisionFixtures.request("erased", "erased", "a", T0 + 3 * DAY),
                DecisionFixtures.request("late", "late", "a", T0 + 3 * DAY),
                DecisionFixtures.request("a-stopped", "u3", "a", T0 + 8 * DAY)));

        Configuration conf = new Configuration();
        conf.setString("parallelism.default", String.valueOf(MiniClusters.PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        conf.setString(DecisionOptions.STATE_RETENTION.key(), "1d");
        // The requests jump days ahead on purpose (retention, a change a week later), the last one alone:
        // with the default skew of 1 h that last request would be a future_timestamp dead letter.
        conf.setString(EventTimeOptions.MAX_FUTURE_SKEW.key(), "10d");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        DecisionFiles in = new DecisionFiles()
                .with(DecisionLineParser.REQUESTS, requests)
                .with(DecisionLineParser.EXPERIMENTS, experiments)
                .with(DecisionLineParser.CONTROL, control);
        DecisionFileOutputs out = new DecisionFileOutputs(dir.resolve("decide/decisions.jsonl"), null);
        InProcessLoop loop = new InProcessLoop();
        try {
            result = new DecisionJob(in, out, loop, conf).run(env);
        } finally {
            loop.close();
        }
        out.finish();
        decisionsFile = out.decisions();
        for (String line : Files.readAllLines(decisionsFile)) {
            JsonNode d = MAPPER.readTree(line);
            decisions.put(d.get("request_id").asText(), d);
        }
        deadLetters = Files.readAllLines(out.deadLetters());
    }

    static Path write(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    static String reason(String requestId) {
        return decisions.get(requestId).get("reason").asText();
    }

    @Test
    void anOptOutHoldsBeyondTheStateRetention() {
        assertThat(reason("opted-out")).as("opt-out at T0, request at T0 + 3 d, retention 1 d").isEqualTo("consent");
    }

    @Test
    void anErasedUserIsNeverProcessedAgain() {
        assertThat(reason("erased")).as("opt-out, delete_user, opt_in, request").isEqualTo("consent");
        assertThat(decisions.get("erased").get("arm").asText()).as("the default arm").isEqualTo("x");
    }

    @Test
    void aControlLineFarBehindItsStreamIsAppliedAndCounted() {
        assertThat(reason("late")).isEqualTo("consent");
        assertThat(deadLetters).isEmpty();
        assertThat(((Number) result.getAccumulatorResult(DecisionSplitter.LATE_APPLIED)).longValue()).isEqualTo(1);
        assertThat(((Number) result.getAccumulatorResult(DecisionSplitter.LINES)).longValue()).isEqualTo(6 + 7 + 4);
        assertThat(decisions).hasSize(7);
    }

    @Test
    void aChangeScheduledForLaterDoesNotBlockAnEarlierOne() throws Exception {
        assertThat(reason("b-before")).isEqualTo("assigned");
        assertThat(reason("b-after")).as("b paused at T0 + 1 h").isEqualTo("paused");
        assertThat(decisions.get("b-after").get("experiment_version").asLong()).isEqualTo(T0 + HOUR);
        assertThat(reason("a-running")).isEqualTo("assigned");
        assertThat(reason("a-stopped")).as("a stopped at T0 + 7 d").isEqualTo("fallback");

        // The results job, over the same definitions and these decisions, sees b paused at T0 + 1 h too.
        Configuration conf = new Configuration();
        conf.setString("parallelism.default", String.valueOf(MiniClusters.PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        conf.setString(EventTimeOptions.MAX_FUTURE_SKEW.key(), "10d"); // the decisions jump days ahead, as above
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        Path events = write("events.jsonl", List.of());
        ResultsFileOutputs out = new ResultsFileOutputs(dir.resolve("results/results.jsonl"), null);
        new ResultsJob(new ResultsFiles(decisionsFile.toString(), events.toString(), experiments.toString()), out, conf).run(env);
        out.finish();
        List<String> statusOfB = new ArrayList<>();
        for (String line : Files.readAllLines(out.results())) {
            JsonNode r = MAPPER.readTree(line);
            if (r.get("experiment_id").asText().equals("b")) {
                statusOfB.add(Instant.parse(r.get("as_of").asText()) + " " + r.get("experiment_status").asText());
            }
        }
        assertThat(statusOfB).as("results of b: %s", statusOfB).contains(Instant.ofEpochMilli(T0 + HOUR) + " paused");
        assertThat(statusOfB).noneMatch(s -> s.endsWith("running") && Instant.parse(s.split(" ")[0]).toEpochMilli() >= T0 + HOUR);
    }
}
