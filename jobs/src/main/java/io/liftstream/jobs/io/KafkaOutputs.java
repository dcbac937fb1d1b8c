package io.liftstream.jobs.io;

import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.jobs.triggers.TriggerJob;
import io.liftstream.triggers.TriggerRecord;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;

import java.nio.charset.StandardCharsets;

/**
 * Triggers, dead letters and late events to Kafka topics, exactly once: transactional producers
 * commit with Flink's checkpoints, so consumers reading with {@code isolation.level=read_committed}
 * see every record once. Triggers are keyed by user id, so one user's triggers stay in order on one
 * partition.
 *
 * <p>No record is ever refused by the broker (which would fail the job and, on restore, fail it again
 * on the same record): triggers are capped to the triggers topic's {@code max.message.bytes} as well
 * as to 64 KiB ({@link #maxMessageBytes}, {@link OutputCap}); the dead-letter and late topics must
 * accept 8.5 KiB, checked at start ({@link TopicLimits}).
 */
public final class KafkaOutputs implements TriggerJob.Output {
    private final KafkaSettings kafka;

    public KafkaOutputs(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /** The triggers topic's {@code max.message.bytes}; refuses dead-letter and late topics too small for a dead letter. */
    @Override
    public int maxMessageBytes() {
        TopicLimits.requireDeadLetterRoom(kafka.bootstrapServers, kafka.deadLetterTopic);
        TopicLimits.requireDeadLetterRoom(kafka.bootstrapServers, kafka.lateTopic);
        return TopicLimits.maxMessageBytes(kafka.bootstrapServers, kafka.triggersTopic);
    }

    @Override
    public void write(TriggerJob.Streams streams) {
        streams.triggers.sinkTo(sink(kafka.triggersTopic, new TriggerKey(), new TriggerValue(), "triggers"))
                .name("kafka " + kafka.triggersTopic).uid("kafka-triggers-sink");
        streams.deadLetters.union(streams.oversized).sinkTo(sink(kafka.deadLetterTopic, null, new RejectedValue(), "dead-letters"))
                .name("kafka " + kafka.deadLetterTopic).uid("kafka-dead-letter-sink");
        streams.lateEvents.sinkTo(sink(kafka.lateTopic, null, new RejectedValue(), "late"))
                .name("kafka " + kafka.lateTopic).uid("kafka-late-sink");
    }

    private <T> KafkaSink<T> sink(String topic, SerializationSchema<T> key, SerializationSchema<T> value, String name) {
        // The Kafka timestamp is the write time: a trigger's event time (in its JSON) may lie ahead of
        // the broker's clock, and a Kafka 4 broker rejects such records, failing the job on every restart.
        return KafkaSinks.builder(kafka.bootstrapServers, new WallClockRecords<>(topic, key, value), DeliveryGuarantee.EXACTLY_ONCE,
                JobInstance.transactionalIdPrefix(kafka.transactionalIdPrefix, kafka.instanceId, name), kafka.transactionTimeout)
                .build();
    }

    static final class TriggerKey implements SerializationSchema<TriggerRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(TriggerRecord r) {
            return r.userId.getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class TriggerValue implements SerializationSchema<TriggerRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(TriggerRecord r) {
            return JsonLines.trigger(r).getBytes(StandardCharsets.UTF_8);
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
