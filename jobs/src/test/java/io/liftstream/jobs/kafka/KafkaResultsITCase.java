package io.liftstream.jobs.kafka;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.cli.LiftstreamCli;
import io.liftstream.jobs.results.ResultsCommandITCaseFixture;
import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.testkit.ResultsLines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code liftstream results --bootstrap-servers …} against a real Kafka 4.1 broker (KRaft, started
 * in-process from Maven artifacts) on a MiniCluster at parallelism 2: the fixture of the file mode is
 * produced to the decisions, events and experiments topics, replayed with {@code --bounded}, and the
 * results read back with {@code isolation.level=read_committed} give the same numbers; the dead
 * letters arrive on their topic. The broker applies time-based retention every second, so results
 * whose Kafka timestamp were their (past) event time would be gone before they are read.
 */
class KafkaResultsITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    private static KafkaClusterTestKit kafka;

    @TempDir Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // Retention applied every second: results stamped with a past day's event time would vanish.
                .setConfigProp("log.initial.task.delay.ms", "0")
                .setConfigProp("log.retention.check.interval.ms", "1000")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void boundedReplayOfTheTopicsGivesTheFileModeNumbers() throws Exception {
        String servers = kafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic("r.decisions", 1, (short) 1), new NewTopic("r.events", 1, (short) 1),
                    // The definitions carry an event time as record timestamp (below): no time-based retention.
                    new NewTopic("r.experiments", 1, (short) 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
                    new NewTopic("r.results", 2, (short) 1),
                    new NewTopic("r.dead", 1, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Properties tx = new Properties();
        tx.putAll(p);
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "results-it-aborted");
        try (KafkaProducer<String, String> aborted = new KafkaProducer<>(tx)) {
            // Exposures of a transaction that aborts (a decision job's attempt that failed): the results
            // job reads read_committed, so they must not count (they would make control n = 4).
            aborted.initTransactions();
            aborted.beginTransaction();
            aborted.send(new ProducerRecord<>("r.decisions", null,
                    ResultsLines.assigned("aborted-1", ResultsCommandITCaseFixture.EXP, "control", T0 + MINUTE))).get();
            aborted.send(new ProducerRecord<>("r.decisions", null,
                    ResultsLines.assigned("aborted-2", ResultsCommandITCaseFixture.EXP, "treatment", T0 + MINUTE))).get();
            aborted.flush();
            aborted.abortTransaction();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            // A definition without "timestamp" takes effect at its record's timestamp: an hour before the fixture.
            for (String line : ResultsCommandITCaseFixture.experiments()) {
                producer.send(new ProducerRecord<>("r.experiments", 0, T0 - 60 * MINUTE, null, line)).get();
            }
            for (String line : ResultsCommandITCaseFixture.decisions()) {
                producer.send(new ProducerRecord<>("r.decisions", null, line)).get();
            }
            for (String line : ResultsCommandITCaseFixture.events()) {
                producer.send(new ProducerRecord<>("r.events", null, line)).get();
            }
        }

        int code = LiftstreamCli.run("results", "--bootstrap-servers", servers,
                "--decisions-topic", "r.decisions", "--events-topic", "r.events", "--experiments-topic", "r.experiments",
                "--results-topic", "r.results", "--dead-letter-topic", "r.dead", "--starting-offsets", "earliest",
                "--bounded", "--transactional-id-prefix", "results-it",
                "-D", "parallelism.default=2",
                "-D", "liftstream.events.max-future-skew=2d", // as ResultsCommandITCase: t3's order tests the window
                "-D", "execution.checkpointing.interval=500ms",
                "-D", "execution.checkpointing.dir=" + dir.resolve("checkpoints").toUri(),
                "-D", "pipeline.generic-types=false");
        assertThat(code).isZero();

        List<ConsumerRecord<String, String>> results = read(servers, "r.results", 4);
        List<JsonNode> records = new ArrayList<>();
        for (ConsumerRecord<String, String> r : results) {
            assertThat(r.key()).isEqualTo(ResultsCommandITCaseFixture.EXP);
            records.add(mapper.readTree(r.value()));
        }
        records.sort((a, b) -> Long.compare(a.get("sequence").asLong(), b.get("sequence").asLong()));
        assertThat(records).extracting(r -> r.get("as_of").asText()).containsExactly(
                "2026-11-20T11:00:00.000Z", "2026-11-20T12:00:00.000Z", "2026-11-20T13:00:00.000Z",
                "2026-11-20T13:00:00.000Z");
        ResultsCommandITCaseFixture.assertLastResult(records.get(records.size() - 1));
        List<ConsumerRecord<String, String>> dead = read(servers, "r.dead", 5);
        assertThat(dead).extracting(ConsumerRecord::value).anyMatch(v -> v.contains("\"reason\":\"late\""))
                .anyMatch(v -> v.contains("invalid_definition")).anyMatch(v -> v.contains("missing_identity"));
    }

    /**
     * The Kafka timestamp of every result is the time it was written, whatever its {@code as_of}. The
     * results topic here accepts only timestamps within an hour of the broker's clock (both ways, as a
     * Kafka 4 broker does for the future by default): stamped with its {@code as_of} (the fixture's
     * day, in the past), each result would be refused and the job would fail on every restart, as the
     * final result of a future-dated exposure did against the default limit.
     */
    @Test
    void resultsAreStampedWithTheirWriteTimeNotTheirAsOf() throws Exception {
        String servers = kafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic("w.decisions", 1, (short) 1), new NewTopic("w.events", 1, (short) 1),
                    new NewTopic("w.experiments", 1, (short) 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
                    new NewTopic("w.results", 2, (short) 1).configs(Map.of(
                            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime",
                            TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, "3600000",
                            TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, "3600000")),
                    new NewTopic("w.dead", 1, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String line : ResultsCommandITCaseFixture.experiments()) {
                producer.send(new ProducerRecord<>("w.experiments", 0, T0 - 60 * MINUTE, null, line)).get();
            }
            for (String line : ResultsCommandITCaseFixture.decisions()) {
                producer.send(new ProducerRecord<>("w.decisions", null, line)).get();
            }
            for (String line : ResultsCommandITCaseFixture.events()) {
                producer.send(new ProducerRecord<>("w.events", null, line)).get();
            }
        }
        long before = System.currentTimeMillis();
        int code = LiftstreamCli.run("results", "--bootstrap-servers", servers,
                "--decisions-topic", "w.decisions", "--events-topic", "w.events", "--experiments-topic", "w.experiments",
                "--results-topic", "w.results", "--dead-letter-topic", "w.dead", "--starting-offsets", "earliest",
                "--bounded", "-D", "parallelism.default=2",
                "-D", "execution.checkpointing.interval=500ms",
                "-D", "execution.checkpointing.dir=" + dir.resolve("w-checkpoints").toUri(),
                "-D", "restart-strategy.type=none",
                "-D", "pipeline.generic-types=false");
        long after = System.currentTimeMillis();
        assertThat(code).isZero();
        List<ConsumerRecord<String, String>> results = read(servers, "w.results", 4);
        assertThat(results).allSatisfy(r -> assertThat(r.timestamp()).isBetween(before, after));
        assertThat(results).extracting(r -> mapper.readTree(r.value()).get("as_of").asText()).contains("2026-11-20T13:00:00.000Z");
    }

    private static List<ConsumerRecord<String, String>> read(String servers, String topic, int expected) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            // Anything beyond the expected count would show here.
            consumer.poll(Duration.ofSeconds(1)).forEach(out::add);
        }
        assertThat(out).hasSize(expected);
        return out;
    }
}
