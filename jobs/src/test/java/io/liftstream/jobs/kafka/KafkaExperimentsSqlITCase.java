package io.liftstream.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;
import io.liftstream.jobs.testkit.CliRun;
import io.liftstream.jobs.testkit.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The experiment scripts of {@code sql/experiments} through {@code liftstream sql --bootstrap-servers}
 * against a real Kafka 4.1 broker (KRaft, in-process): cart-recovery is created, its weights
 * changed, paused and stopped, each script reading the version in force from the topic (batch
 * mode: up to the latest offsets) and writing the next one to the upsert-kafka {@code experiments}
 * table. The topic then holds exactly the expected versions, in order, all with the key
 * {@code cart-recovery}, and each value is a definition {@link ExperimentDefinitionJson} reads.
 */
class KafkaExperimentsSqlITCase {
    private static final String TOPIC = "liftstream.experiments";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    private static KafkaClusterTestKit kafka;

    @TempDir Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // A compacted topic, as in production; two partitions, so the key has to pick one.
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
    }

    @AfterAll
    static void stopKafka() throws Exception {
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

    private static List<ConsumerRecord<String, String>> readTopic() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    private static ExperimentDefinition definition(String json) {
        try {
            ObjectNode o = (ObjectNode) MAPPER.readTree(json);
            JsonNode analysis = o.remove("analysis"); // parsed by the results branch's AnalysisSpecJson
            assertThat(analysis.get("method").asText()).isEqualTo("sequential");
            return ExperimentDefinitionJson.parse(o);
        } catch (Exception e) {
            throw new IllegalStateException(json, e);
        }
    }

    @Test
    void createChangePauseAndStopAnExperimentInTheTopic() {
        sql("cart-recovery.sql", "2026-11-20 00:00:00");
        sql("cart-recovery-weights.sql", "2026-11-21 00:00:00");
        sql("pause.sql", "2026-11-22 00:00:00");
        sql("stop.sql", "2026-11-24 00:00:00");

        List<ConsumerRecord<String, String>> records = readTopic();
        assertThat(records).hasSize(4);
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("cart-recovery");
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
        List<ExperimentDefinition> versions = records.stream().map(r -> definition(r.value())).toList();
        double[] initial = {0.34, 0.33, 0.33};
        double[] ramped = {0.2, 0.4, 0.4};
        assertThat(versions).containsExactly(
                io.liftstream.jobs.sql.ExperimentScriptsITCase.cartRecovery(ExperimentStatus.RUNNING, initial, "2026-11-20T00:00:00Z"),
                io.liftstream.jobs.sql.ExperimentScriptsITCase.cartRecovery(ExperimentStatus.RUNNING, ramped, "2026-11-21T00:00:00Z"),
                io.liftstream.jobs.sql.ExperimentScriptsITCase.cartRecovery(ExperimentStatus.PAUSED, ramped, "2026-11-22T00:00:00Z"),
                io.liftstream.jobs.sql.ExperimentScriptsITCase.cartRecovery(ExperimentStatus.STOPPED, ramped, "2026-11-24T00:00:00Z"));
    }

    /**
     * The events table reads {@code read_committed}: a transaction the writer aborted (a job's
     * failed attempt) is not in a query's answer. Before, the catalog read uncommitted records too.
     */
    @Test
    void theEventsTableSkipsAbortedRecords() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "events-writer");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("liftstream.events", "u1", event("aborted-1")));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("liftstream.events", "u1", event("committed-1")));
            producer.commitTransaction();
        }
        Path script = dir.resolve("events.sql");
        Files.writeString(script, "SELECT messageId FROM events;");
        List<String> args = new ArrayList<>(List.of("sql", "-f", script.toString(), "--bootstrap-servers", kafka.bootstrapServers()));
        args.addAll(CliRun.embedded(dir));
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("committed-1").doesNotContain("aborted-1");
    }

    private static String event(String messageId) {
        return "{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"u1\",\"messageId\":\"" + messageId
                + "\",\"timestamp\":\"2026-11-20T00:00:00Z\",\"properties\":{\"product_id\":\"p1\"}}";
    }
}
