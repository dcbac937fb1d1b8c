package io.liftstream.jobs.decisions.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.DecisionOptions;
import io.liftstream.jobs.testkit.KafkaBroker;
import io.liftstream.jobs.testkit.MiniClusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka mode, real broker: a decision job started without state, whose consumer group has committed
 * offsets at the end of the experiments and control topics (a previous run read them all), still
 * knows every experiment and every opt-out and erasure: both topics are read from the earliest
 * offset on a start without state. The control topic the job creates is compacted.
 */
class KafkaConsentITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
    static final long DAY = 24 * 3600 * 1000L;
    static final String AB = "{\"experiment_id\":\"ab\",\"arms\":[{\"name\":\"control\",\"weight\":0.5},{\"name\":\"treat\",\"weight\":0.5}]}";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static KafkaBroker kafka;

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

    static String control(String type, String user, String status, long t) {
        return "{\"type\":\"" + type + "\",\"user_id\":\"" + user + "\"" + (status == null ? "" : ",\"status\":\"" + status + "\"")
                + ",\"timestamp\":\"" + Instant.ofEpochMilli(t) + "\"}";
    }

    static String request(String id, String user, long t) {
        return "{\"request_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"experiment_id\":\"ab\",\"timestamp\":\"" + Instant.ofEpochMilli(t) + "\"}";
    }

    @Test
    void aStartWithoutStateRebuildsExperimentsAndConsentFromTheEarliestOffset() throws Exception {
        DecisionKafkaSettings k = new DecisionKafkaSettings();
        k.bootstrapServers = kafka.bootstrapServers();
        k.requestsTopic = "consent.requests";
        k.triggersTopic = "";
        k.experimentsTopic = "consent.experiments";
        k.eventsTopic = "";
        k.controlTopic = "consent.control";
        k.decisionsTopic = "consent.decisions";
        k.deadLetterTopic = "consent.dead-letters";
        k.loopTopic = "consent.posteriors";
        k.groupId = "consent";
        k.startingOffsets = "committed";
        k.bounded = true;
        k.transactionalIdPrefix = "consent";
        k.deliveryGuarantee = DeliveryGuarantee.AT_LEAST_ONCE;
        for (String t : List.of(k.requestsTopic, k.experimentsTopic, k.decisionsTopic, k.deadLetterTopic)) {
            kafka.createTopic(t, 1);
        }
        try (KafkaTopics topics = new KafkaTopics(k.bootstrapServers)) {
            topics.ensureControlTopic(k.controlTopic); // what the job does when it is wired
            assertThat(topics.cleanupPolicy(k.controlTopic)).isEqualTo("compact");
        }

        // Written long ago; a previous run read both topics and committed its offsets at their ends.
        kafka.produce(k.experimentsTopic, List.<String[]>of(new String[] {"ab", AB}));
        kafka.produce(k.controlTopic, List.of(
                new String[] {"consent:opted-out", control("consent", "opted-out", "opt_out", T0)},
                new String[] {"consent:erased", control("consent", "erased", "opt_out", T0)},
                new String[] {"delete_user:erased", control("delete_user", "erased", null, T0 + 1000)}));
        commitAtEnd(k.groupId, k.experimentsTopic, k.controlTopic);

        kafka.produce(k.requestsTopic, List.of(
                new String[] {"opted-out", request("r1", "opted-out", T0 + 3 * DAY)},
                new String[] {"erased", request("r2", "erased", T0 + 3 * DAY)},
                new String[] {"someone", request("r3", "someone", T0 + 3 * DAY)}));

        Configuration conf = new Configuration();
        conf.setString("parallelism.default", String.valueOf(MiniClusters.PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        conf.setString(DecisionOptions.STATE_RETENTION.key(), "1d");
        new DecisionJob(new KafkaDecisionInputs(k, conf), new KafkaDecisionOutputs(k), new KafkaPosteriorLoop(k), conf)
                .run(StreamExecutionEnvironment.getExecutionEnvironment(conf));

        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, String> r : kafka.readCommitted(k.decisionsTopic)) {
            JsonNode d = MAPPER.readTree(r.value());
            reasons.put(d.get("request_id").asText(), d.get("reason").asText());
        }
        assertThat(reasons).containsEntry("r1", "consent").containsEntry("r2", "consent").containsEntry("r3", "assigned").hasSize(3);
        assertThat(kafka.readCommitted(k.deadLetterTopic)).isEmpty();
    }

    /** Commits the group's offsets at the end of each topic's partition 0. */
    static void commitAtEnd(String group, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (String t : topics) {
                TopicPartition tp = new TopicPartition(t, 0);
                long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
                assertThat(end).isPositive();
                offsets.put(tp, new OffsetAndMetadata(end));
            }
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        }
    }
}
