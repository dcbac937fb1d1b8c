package io.liftstream.jobs.decisions.kafka;

import io.liftstream.jobs.io.JobInstance;
import io.liftstream.jobs.io.KafkaSinks;
import io.liftstream.jobs.io.WallClockRecords;
import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.DecisionJson;
import io.liftstream.jobs.decisions.DecisionRecord;
import io.liftstream.jobs.io.OutputCap;
import io.liftstream.jobs.io.TopicLimits;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.nio.charset.StandardCharsets;

/**
 * Decisions and dead letters to Kafka. Decisions are keyed by user id (a user's decisions stay in
 * order on one partition), the value is the decision JSON. Exactly once by default: transactional
 * producers commit with Flink's checkpoints, so a consumer reading {@code isolation.level=read_committed}
 * sees every decision once (and only after the checkpoint that covers it). At least once: records are
 * visible at once; after a restart some decisions may appear twice, with the same {@code decision_id}.
 * The Kafka record timestamp is the write time ({@link WallClockRecords}); the decision's own time is
 * its {@code timestamp} field.
 */
public final class KafkaDecisionOutputs implements DecisionJob.Outputs {
    private final DecisionKafkaSettings kafka;

    public KafkaDecisionOutputs(DecisionKafkaSettings kafka) {
        this.kafka = kafka;
    }

    /**
     * Besides the job's 64 KiB cap, decisions are held to the decisions topic's {@code max.message.bytes}
     * (read now): KafkaSink fails the job on a refused record, and a restore would fail on it again. A
     * decision over it is an {@code output_too_large} dead letter, counted in {@code liftstreamOversizedOutputs}.
     */
    @Override
    public void write(DecisionJob.Streams streams) {
        TopicLimits.requireDeadLetterRoom(kafka.bootstrapServers, kafka.deadLetterTopic);
        int maxMessageBytes = TopicLimits.maxMessageBytes(kafka.bootstrapServers, kafka.decisionsTopic);
        SingleOutputStreamOperator<DecisionRecord> decisions = OutputCap.apply(streams.decisions,
                new OutputCap<DecisionRecord>("decisions", DecisionJson::write, r -> r.userId, maxMessageBytes),
                "decide-kafka-decisions-topic-cap");
        decisions.sinkTo(sink(kafka.decisionsTopic, new DecisionKey(), new DecisionValue(), "decisions"))
                .name("kafka " + kafka.decisionsTopic).uid("decide-kafka-decisions-sink");
        streams.deadLetters.union(decisions.getSideOutput(OutputCap.DEAD_LETTERS))
                .sinkTo(sink(kafka.deadLetterTopic, null, new RejectedValue(), "dead-letters"))
                .name("kafka " + kafka.deadLetterTopic).uid("decide-kafka-dead-letter-sink");
    }

    private <T> KafkaSink<T> sink(String topic, SerializationSchema<T> key, SerializationSchema<T> value, String name) {
        return KafkaSinks.builder(kafka.bootstrapServers, new WallClockRecords<>(topic, key, value), kafka.deliveryGuarantee,
                        JobInstance.transactionalIdPrefix(kafka.transactionalIdPrefix, kafka.instanceId, name), kafka.transactionTimeout)
                .setProperty("linger.ms", kafka.deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE ? "5" : "0")
                .build();
    }

    static final class DecisionKey implements SerializationSchema<DecisionRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DecisionRecord r) {
            return r.userId.getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class DecisionValue implements SerializationSchema<DecisionRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DecisionRecord r) {
            return DecisionJson.write(r).getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class RejectedValue implements SerializationSchema<RejectedLine> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(RejectedLine r) {
            return JsonLines.rejected(r).getBytes(StandardCharsets.UTF_8);
        }
    }
}
