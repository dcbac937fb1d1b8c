package io.liftstream.jobs.decisions;

import static io.liftstream.jobs.decisions.DecisionFixtures.MINUTE;
import static io.liftstream.jobs.decisions.DecisionFixtures.SECOND;
import static io.liftstream.jobs.decisions.DecisionFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.ExperimentAssigner;
import io.liftstream.jobs.decisions.kafka.DecisionKafkaSettings;
import io.liftstream.jobs.decisions.kafka.KafkaDecisionInputs;
import io.liftstream.jobs.decisions.kafka.KafkaDecisionOutputs;
import io.liftstream.jobs.decisions.kafka.KafkaPosteriorLoop;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;
import io.liftstream.jobs.testkit.KafkaBroker;
import io.liftstream.jobs.testkit.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Experiments changed while the Kafka-mode decision job runs (unbounded, exactly once, real broker):
 * new versions on the experiments topic, as the SQL layer writes them, take effect without a
 * restart. A reweighting assigns new users by the new weights while users assigned before keep their
 * arm ({@code sticky}); a paused version answers {@code paused}; a tombstone removes the experiment
 * ({@code unknown_experiment}) from its record timestamp on.
 *
 * <p>Requests go out in batches an event-time gap apart; a batch is decided once the next batch moves
 * the watermark past it. Each definition change is produced, and then the test waits a little longer
 * than {@code liftstream.decide.experiments-idleness} of wall-clock time before producing the batch
 * that must see it: that is the live contract (a new definition applies from its timestamp to requests
 * the job has not yet decided), and the wait is what makes "not yet decided" certain.
 */
class KafkaDecisionsLiveITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int USERS = 200;
    private static final long V2_AT = T0 + 10 * MINUTE;
    private static final long PAUSE_AT = T0 + 20 * MINUTE;
    private static final long REMOVE_AT = T0 + 30 * MINUTE;
    private static final Duration SETTLE = Duration.ofMillis(1500);

    static final String V1 = "{\"experiment_id\":\"live\",\"arms\":[{\"name\":\"control\",\"weight\":0.5},{\"name\":\"treat\",\"weight\":0.5}],"
            + "\"timestamp\":\"" + Instant.ofEpochMilli(T0) + "\"}";
    static final String V2 = V1.replace("0.5},{\"name\":\"treat\",\"weight\":0.5}", "0.1},{\"name\":\"treat\",\"weight\":0.9}")
            .replace(Instant.ofEpochMilli(T0).toString(), Instant.ofEpochMilli(V2_AT).toString());
    static final String PAUSED = V2.replace("{\"experiment_id\":\"live\",", "{\"experiment_id\":\"live\",\"status\":\"paused\",")
            .replace(Instant.ofEpochMilli(V2_AT).toString(), Instant.ofEpochMilli(PAUSE_AT).toString());

    private static KafkaBroker kafka;

    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Requests of users [from, to) at start + i seconds, request ids prefixed by {@code batch}. */
    static List<String[]> batch(String batch, int from, int to, long start) {
        List<String[]> out = new ArrayList<>();
        for (int u = from; u < to; u++) {
            out.add(new String[] {"u" + u, DecisionFixtures.request(batch + "-" + u, "u" + u, "live", start + (u - from) * SECOND)});
        }
        return out;
    }

    /** Waits until every request of {@code batch} has a committed decision, and returns them by user. */
    static Map<String, JsonNode> decided(String topic, String batch, int count) {
        List<ConsumerRecord<String, String>> records = kafka.readCommittedUntil(topic,
                rs -> rs.stream().filter(r -> r.value().contains("\"request_id\":\"" + batch + "-")).count() >= count,
                Duration.ofSeconds(60));
        Map<String, JsonNode> byUser = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode d = json(r.value());
            if (d.get("request_id").asText().startsWith(batch + "-")) {
                assertThat(byUser.put(d.get("user_id").asText(), d)).as("one decision per request").isNull();
            }
        }
        assertThat(byUser).as("decisions of batch %s", batch).hasSize(count);
        return byUser;
    }

    @Test
    void definitionChangesApplyWhileTheJobRunsAndAssignedUsersKeepTheirArm() throws Exception {
        DecisionKafkaSettings k = new DecisionKafkaSettings();
        k.bootstrapServers = kafka.bootstrapServers();
        k.requestsTopic = "live.requests";
        k.triggersTopic = "";
        k.experimentsTopic = "live.experiments";
        k.eventsTopic = "live.events";
        k.controlTopic = "live.control";
        k.decisionsTopic = "live.decisions";
        k.deadLetterTopic = "live.dead-letters";
        k.loopTopic = "live.posteriors";
        k.groupId = "live";
        k.startingOffsets = "earliest";
        k.transactionalIdPrefix = "live";
        k.deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
        for (String t : List.of(k.requestsTopic, k.experimentsTopic, k.eventsTopic, k.controlTopic, k.decisionsTopic, k.deadLetterTopic)) {
            kafka.createTopic(t, 1);
        }
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "200ms");
        conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        conf.setString("parallelism.default", String.valueOf(MiniClusters.PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        conf.setString("liftstream.events.source-idleness", "500ms"); // events and control stay empty
        conf.setString(DecisionOptions.EXPERIMENTS_IDLENESS.key(), "500ms");

        kafka.produce(k.experimentsTopic, List.<String[]>of(new String[] {"live", V1}));
        kafka.produce(k.requestsTopic, batch("a", 0, USERS / 2, T0 + MINUTE));
        JobClient job = new DecisionJob(new KafkaDecisionInputs(k, conf), new KafkaDecisionOutputs(k), new KafkaPosteriorLoop(k), conf)
                .start(StreamExecutionEnvironment.getExecutionEnvironment(conf));
        try {
            // Reweight to 10/90 at V2_AT; batch b: the first half again, and new users.
            kafka.produce(k.experimentsTopic, List.<String[]>of(new String[] {"live", V2}));
            Thread.sleep(SETTLE.toMillis());
            kafka.produce(k.requestsTopic, batch("b", 0, USERS, V2_AT + MINUTE));
            Map<String, JsonNode> a = decided(k.decisionsTopic, "a", USERS / 2);

            kafka.produce(k.experimentsTopic, List.<String[]>of(new String[] {"live", PAUSED}));
            Thread.sleep(SETTLE.toMillis());
            kafka.produce(k.requestsTopic, batch("c", 0, USERS, PAUSE_AT + MINUTE));
            Map<String, JsonNode> b = decided(k.decisionsTopic, "b", USERS);

            kafka.produce(k.experimentsTopic, List.<String[]>of(new String[] {"live", null, Long.toString(REMOVE_AT)}));
            Thread.sleep(SETTLE.toMillis());
            kafka.produce(k.requestsTopic, batch("d", 0, 10, REMOVE_AT + MINUTE));
            Map<String, JsonNode> c = decided(k.decisionsTopic, "c", USERS);
            kafka.produce(k.requestsTopic, batch("e", 0, 1, REMOVE_AT + 10 * MINUTE)); // moves the watermark past d
            Map<String, JsonNode> d = decided(k.decisionsTopic, "d", 10);

            ExperimentAssigner v1 = new ExperimentAssigner(ExperimentDefinitionJson.parse(V1), 0);
            ExperimentAssigner v2 = new ExperimentAssigner(ExperimentDefinitionJson.parse(V2), 0);
            a.forEach((user, dec) -> {
                assertThat(dec.get("reason").asText()).isEqualTo("assigned");
                assertThat(dec.get("arm").asText()).isEqualTo(v1.assign(user).arm());
                assertThat(dec.get("experiment_version").asLong()).isEqualTo(T0);
            });
            int kept = 0;
            int treat = 0;
            for (int u = 0; u < USERS; u++) {
                String user = "u" + u;
                JsonNode dec = b.get(user);
                assertThat(dec.get("experiment_version").asLong()).isEqualTo(V2_AT);
                if (u < USERS / 2) {
                    assertThat(dec.get("reason").asText()).as("assigned before the change: %s", user).isEqualTo("sticky");
                    assertThat(dec.get("arm").asText()).isEqualTo(a.get(user).get("arm").asText());
                    kept += v2.assign(user).arm().equals(dec.get("arm").asText()) ? 0 : 1;
                } else {
                    assertThat(dec.get("reason").asText()).isEqualTo("assigned");
                    assertThat(dec.get("arm").asText()).as("new user %s, v2 weights", user).isEqualTo(v2.assign(user).arm());
                    treat += dec.get("arm").asText().equals("treat") ? 1 : 0;
                }
            }
            assertThat(kept).as("users whose v2 bucket differs keep their v1 arm").isPositive();
            assertThat(treat).as("new users under 10/90").isGreaterThan(75);
            c.values().forEach(dec -> {
                assertThat(dec.get("reason").asText()).isEqualTo("paused");
                assertThat(dec.get("experiment_version").asLong()).isEqualTo(PAUSE_AT);
            });
            d.values().forEach(dec -> assertThat(dec.get("reason").asText()).isEqualTo("unknown_experiment"));
            assertThat(kafka.readCommitted(k.deadLetterTopic)).isEmpty();
        } finally {
            job.cancel().get();
        }
    }
}
