package io.liftstream.jobs.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.testkit.CliRun;
import io.liftstream.jobs.testkit.KafkaBroker;
import io.liftstream.jobs.testkit.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.TopicConfig;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Experiments defined in SQL reach the decision job: {@code liftstream sql} runs the scripts of
 * {@code sql/experiments} against a real broker (cart-recovery created, reweighted, paused, stopped:
 * four versions in the upsert-kafka {@code liftstream.experiments} topic, analysis spec included),
 * then {@code liftstream decide --bootstrap-servers} replays requests against that topic at its
 * default name and answers each with the version in force at the request's time.
 */
class KafkaSqlExperimentsToDecisionsITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static KafkaBroker kafka;

    @TempDir Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("liftstream.experiments", 2, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private void sql(String script, String effectiveAt) {
        List<String> args = new ArrayList<>(List.of("sql", "-f", Path.of("..", "sql", "experiments", script).toString(),
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--set", "experiment_id=cart-recovery",
                "--set", "effective_at=TIMESTAMP '" + effectiveAt + "'"));
        args.addAll(CliRun.embedded(dir));
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(script + ": " + run.err).isZero();
    }

    private static String[] request(String id, String user, String at) {
        return new String[] {user, DecisionFixtures.request(id, user, "cart-recovery", Instant.parse(at).toEpochMilli())};
    }

    @Test
    void versionsWrittenBySqlApplyAtTheirTimestamps() throws Exception {
        sql("cart-recovery.sql", "2026-11-20 00:00:00");
        sql("cart-recovery-weights.sql", "2026-11-21 00:00:00");
        sql("pause.sql", "2026-11-22 00:00:00");
        sql("stop.sql", "2026-11-24 00:00:00");

        kafka.createTopic("sql.requests", 1);
        kafka.createTopic("sql.decisions", 1);
        List<String[]> requests = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            requests.add(request("first-" + u, "u" + u, "2026-11-20T12:00:00Z"));
        }
        for (int u = 0; u < 40; u++) {
            requests.add(request("again-" + u, "u" + u, "2026-11-21T12:00:00Z"));
        }
        requests.add(request("paused-0", "u0", "2026-11-22T12:00:00Z"));
        requests.add(request("stopped-0", "u0", "2026-11-24T12:00:00Z"));
        kafka.produce("sql.requests", requests);

        List<String> args = new ArrayList<>(List.of("decide", "--bootstrap-servers", kafka.bootstrapServers(),
                "--requests-topic", "sql.requests", "--triggers-topic", "", "--events-topic", "", "--control-topic", "",
                "--decisions-topic", "sql.decisions", "--loop-topic", "sql.posteriors",
                "--starting-offsets", "earliest", "--bounded", "-D", "liftstream.decide.experiments-idleness=10min",
                // Single requests days apart test the versions: with the default future skew (1 h) the
                // last one, lone and two days ahead, would be a future_timestamp dead letter.
                "-D", "liftstream.events.max-future-skew=7d"));
        args.addAll(CliRun.embedded(dir));
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("dead-lettered:  0");

        Map<String, JsonNode> byRequest = new HashMap<>();
        for (ConsumerRecord<String, String> r : kafka.readCommitted("sql.decisions")) {
            JsonNode d = MAPPER.readTree(r.value());
            byRequest.put(d.get("request_id").asText(), d);
        }
        assertThat(byRequest).hasSize(82);
        long v1 = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
        long v2 = Instant.parse("2026-11-21T00:00:00Z").toEpochMilli();
        for (int u = 0; u < 40; u++) {
            JsonNode first = byRequest.get("first-" + u);
            JsonNode again = byRequest.get("again-" + u);
            assertThat(first.get("experiment_version").asLong()).isEqualTo(v1);
            assertThat(first.get("policy").asText()).isEqualTo("thompson");
            assertThat(first.get("reason").asText()).isIn("assigned", "holdout");
            assertThat(again.get("experiment_version").asLong()).isEqualTo(v2);
            assertThat(again.get("arm").asText()).as("sticky across the reweighting").isEqualTo(first.get("arm").asText());
            assertThat(again.get("reason").asText()).isEqualTo(first.get("reason").asText().equals("assigned") ? "sticky" : "holdout");
        }
        assertThat(byRequest.get("paused-0").get("reason").asText()).isEqualTo("paused");
        assertThat(byRequest.get("stopped-0").get("reason").asText()).isEqualTo("fallback");
        assertThat(byRequest.get("stopped-0").get("arm").asText()).as("the default arm").isEqualTo("control");
    }
}
