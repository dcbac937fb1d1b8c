package io.liftstream.jobs.kafka;

import static io.liftstream.jobs.testkit.OversizedLines.KB_720;
import static io.liftstream.jobs.testkit.OversizedLines.assertTooLarge;
import static io.liftstream.jobs.testkit.OversizedLines.padded;
import static io.liftstream.jobs.testkit.OversizedLines.utf8;
import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.SECOND;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static io.liftstream.jobs.testkit.SegmentLines.productViewed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.jobs.cli.RunSummary;
import io.liftstream.jobs.io.KafkaLines;
import io.liftstream.jobs.io.KafkaOutputs;
import io.liftstream.jobs.io.KafkaSettings;
import io.liftstream.jobs.io.OutputCap;
import io.liftstream.jobs.testkit.KafkaBroker;
import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.triggers.TriggerJob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 13 against a real Kafka 4.1 broker: a triggers topic that refuses records over 3,000 bytes
 * ({@code max.message.bytes}) must not crash-loop the trigger job. The job (no restarts allowed)
 * finishes; the trigger the topic would refuse is in the dead letters, truncated to 4 KiB, with reason
 * {@code output_too_large}, and counted; the other triggers are on the triggers topic; a 720 KB
 * input record is a {@code too_large} dead letter.
 */
class KafkaRefusedRecordsITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    private static final int TOPIC_MAX_BYTES = 3_000;

    private static KafkaBroker kafka;
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static KafkaSettings topics(String suffix, int triggersMaxBytes, int deadLetterMaxBytes) throws Exception {
        KafkaSettings k = new KafkaSettings();
        k.bootstrapServers = kafka.bootstrapServers();
        k.inputTopic = "events-" + suffix;
        k.triggersTopic = "triggers-" + suffix;
        k.deadLetterTopic = "dead-letters-" + suffix;
        k.lateTopic = "late-" + suffix;
        k.groupId = "it-" + suffix;
        k.transactionalIdPrefix = "it-" + suffix;
        k.startingOffsets = "earliest";
        k.bounded = true;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(
                    new NewTopic(k.inputTopic, 1, (short) 1),
                    new NewTopic(k.triggersTopic, 1, (short) 1)
                            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(triggersMaxBytes))),
                    new NewTopic(k.deadLetterTopic, 1, (short) 1)
                            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(deadLetterMaxBytes))),
                    new NewTopic(k.lateTopic, 1, (short) 1))).all().get();
        }
        return k;
    }

    private static Configuration conf() {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "500ms");
        conf.setString("parallelism.default", String.valueOf(MiniClusters.PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        conf.setString("restart-strategy.type", "none"); // a refused record would fail the job outright
        return conf;
    }

    @Test
    void aTriggerTheTopicWouldRefuseIsADeadLetterAndTheJobFinishes() throws Exception {
        KafkaSettings k = topics("refuse", TOPIC_MAX_BYTES, 1_048_588);
        List<String[]> records = new ArrayList<>();
        // A shopper whose browse_abandoned is small, and a bot whose 100 listed product ids (60 bytes each) are not.
        for (int i = 0; i < 3; i++) {
            records.add(new String[] {"u-browse", productViewed("u-browse", T0 + i * MINUTE, "p" + i)});
        }
        String huge = padded(productViewed("u-huge", T0 + 3 * MINUTE, "p-huge"), KB_720);
        records.add(new String[] {"u-huge", huge});
        for (int i = 0; i < 150; i++) {
            records.add(new String[] {"u-bot", productViewed("u-bot", T0 + 3 * MINUTE + i * SECOND, String.format("%060d", i))});
        }
        kafka.produce(k.inputTopic, records);

        Configuration conf = conf();
        JobExecutionResult result = new TriggerJob(new KafkaLines(k, conf), new KafkaOutputs(k), conf)
                .run(StreamExecutionEnvironment.getExecutionEnvironment(conf));

        RunSummary summary = new RunSummary(result::getAccumulatorResult);
        assertThat(summary.events).isEqualTo(153);
        assertThat(summary.deadLettered).isEqualTo(1);
        assertThat(summary.oversized).isEqualTo(1);
        assertThat((Long) result.getAccumulatorResult(OutputCap.OVERSIZED)).isEqualTo(1L);

        List<JsonNode> triggers = values(kafka.readCommitted(k.triggersTopic));
        assertThat(triggers).extracting(t -> t.get("trigger").asText() + " " + t.get("user_id").asText())
                .contains("browse_abandoned u-browse")
                .doesNotContain("browse_abandoned u-bot");
        for (ConsumerRecord<String, String> r : kafka.readCommitted(k.triggersTopic)) {
            assertThat(utf8(r.value())).isLessThanOrEqualTo(TOPIC_MAX_BYTES);
        }

        List<JsonNode> dead = values(kafka.readCommitted(k.deadLetterTopic));
        assertThat(dead).hasSize(2);
        JsonNode tooLarge = dead.stream().filter(d -> d.get("reason").asText().startsWith("too_large")).findFirst().orElseThrow();
        assertTooLarge(tooLarge, huge);
        JsonNode refused = dead.stream().filter(d -> d.get("reason").asText().startsWith("output_too_large")).findFirst().orElseThrow();
        assertThat(refused.get("reason").asText()).contains("max.message.bytes 3000");
        assertThat(refused.get("stream").asText()).isEqualTo("triggers");
        assertThat(refused.get("truncated").asBoolean()).isTrue();
        assertThat(refused.get("line_bytes").asLong()).isGreaterThan(6_000);
        String excerpt = refused.get("line").asText();
        assertThat(utf8(excerpt)).isLessThanOrEqualTo(4096);
        assertThat(excerpt).startsWith("{\"trigger_id\":").contains("\"trigger\":\"browse_abandoned\"").contains("\"user_id\":\"u-bot\"");
    }

    @Test
    void aDeadLetterTopicTooSmallForADeadLetterIsRefusedAtStart() throws Exception {
        KafkaSettings k = topics("small-dead", 1_048_588, 2_000);
        Configuration conf = conf();
        assertThatThrownBy(() -> new TriggerJob(new KafkaLines(k, conf), new KafkaOutputs(k), conf)
                        .wire(StreamExecutionEnvironment.getExecutionEnvironment(conf)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Kafka topic dead-letters-small-dead accepts records of at most 2000 bytes (max.message.bytes); "
                        + "dead letters and late records need 8704");
    }

    private List<JsonNode> values(List<ConsumerRecord<String, String>> records) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            out.add(mapper.readTree(r.value()));
        }
        return out;
    }
}
