package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.testkit.OversizedLines.KB_720;
import static io.liftstream.jobs.testkit.OversizedLines.MIB;
import static io.liftstream.jobs.testkit.OversizedLines.assertTooLarge;
import static io.liftstream.jobs.testkit.OversizedLines.padded;
import static io.liftstream.jobs.testkit.OversizedLines.utf8;
import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 13 in the decision job's file mode: a 1 MiB and a 720 KB line in its inputs (requests,
 * events, experiments) are not parsed: each is a {@code too_large} dead letter with at most 4 KiB of
 * the line, every other request is answered, and the counts add up.
 */
class DecisionBoundedRecordsITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    private static final int REQUESTS = 200;

    @TempDir Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void hugeLinesInEveryInputAreTooLargeDeadLettersAndEveryOtherRequestIsAnswered() throws Exception {
        String hugeRequest = padded(DecisionFixtures.request("r-huge", "u-huge", "ab", T0 + 5 * MINUTE), MIB);
        String bigRequest = padded(DecisionFixtures.request("r-big", "u-big", "ab", T0 + 6 * MINUTE), KB_720);
        String hugeEvent = padded(DecisionFixtures.order("u1", T0 + 7 * MINUTE, 10), MIB);
        String bigDefinition = padded(DecisionJobFileITCase.PAUSED.replace("paused-one", "big-one"), KB_720);

        List<String> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(DecisionFixtures.request("r" + i, "u" + i, "ab", T0 + i * 3_000L));
            if (i == 100) {
                requests.add(hugeRequest);
                requests.add(bigRequest);
            }
        }
        Path requestsFile = write("requests.jsonl", requests);
        Path events = write("events.jsonl", List.of(DecisionFixtures.order("u2", T0 + MINUTE, 5), hugeEvent));
        Path experiments = write("experiments.jsonl", List.of(DecisionJobFileITCase.AB_V1, bigDefinition));

        Configuration conf = new Configuration();
        conf.setString("parallelism.default", String.valueOf(MiniClusters.PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        DecisionFiles in = new DecisionFiles(conf)
                .with(DecisionLineParser.REQUESTS, requestsFile)
                .with(DecisionLineParser.EVENTS, events)
                .with(DecisionLineParser.EXPERIMENTS, experiments);
        DecisionFileOutputs out = new DecisionFileOutputs(dir.resolve("out/decisions.jsonl"), null);
        InProcessLoop loop = new InProcessLoop();
        try {
            new DecisionJob(in, out, loop, conf).run(env);
        } finally {
            loop.close();
        }
        out.finish();
        List<String> decisions = Files.readAllLines(out.decisions());
        List<String> dead = Files.readAllLines(out.deadLetters());

        assertThat(decisions).hasSize(REQUESTS);
        assertThat(dead).hasSize(4);
        assertThat(decisions).noneMatch(d -> d.contains("r-huge") || d.contains("r-big"));
        for (String d : decisions) {
            assertThat(utf8(d)).isLessThan(64 * 1024);
        }
        List<JsonNode> letters = new ArrayList<>();
        for (String d : dead) {
            letters.add(mapper.readTree(d));
        }
        assertTooLarge(find(letters, "requests", "r-huge"), hugeRequest);
        assertTooLarge(find(letters, "requests", "r-big"), bigRequest);
        assertTooLarge(find(letters, "events", "Order Completed"), hugeEvent);
        assertTooLarge(find(letters, "experiments", "big-one"), bigDefinition);
    }

    private static JsonNode find(List<JsonNode> letters, String stream, String marker) {
        return letters.stream().filter(l -> stream.equals(l.path("stream").asText()) && l.get("line").asText().contains(marker))
                .findFirst().orElseThrow(() -> new AssertionError("no dead letter of " + stream + " with " + marker + ": " + letters));
    }

    private Path write(String name, List<String> lines) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }
}
