package io.liftstream.jobs.results;

import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

import java.nio.charset.StandardCharsets;

/**
 * Results (keyed by experiment id, so one experiment's results stay in order on one partition) and
 * dead letters to Kafka, exactly once: consumers read with {@code isolation.level=read_committed}.
 */
public final class ResultsKafkaOutputs implements ResultsJob.Output {
    /** Below the broker's default 15-minute transaction.max.timeout.ms. */
    static final String TRANSACTION_TIMEOUT_MS = "600000";

    private final ResultsKafkaSettings kafka;

    public ResultsKafkaOutputs(ResultsKafkaSettings kafka) {
        this.kafka = kafka;
    }

    @Override
    public void write(ResultsJob.Streams streams) {
        streams.results.sinkTo(sink(new Records<>(kafka.resultsTopic, new ResultKey(), new ResultValue(), true), "results"))
                .name("kafka " + kafka.resultsTopic).uid("kafka-results-sink");
        streams.deadLetters().sinkTo(sink(new Records<>(kafka.deadLetterTopic, null, new RejectedValue(), false), "dead-letters"))
                .name("kafka " + kafka.deadLetterTopic).uid("kafka-results-dead-letter-sink");
    }

    /**
     * Records with an explicit Kafka timestamp: a result's {@code as_of}; none for dead letters (the
     * broker's). The stream timestamps are not usable: the final result is emitted at the end of
     * time, and a definition without timestamp has none.
     */
    static final class Records<T> implements KafkaRecordSerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final SerializationSchema<T> key;
        private final SerializationSchema<T> value;
        private final boolean asOf;

        Records(String topic, SerializationSchema<T> key, SerializationSchema<T> value, boolean asOf) {
            this.topic = topic;
            this.key = key;
            this.value = value;
            this.asOf = asOf;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
            if (key != null) {
                key.open(context);
            }
            value.open(context);
        }

        @Override
        public org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context,
                Long timestamp) {
            Long time = asOf ? ((ResultRecord) element).asOf : null;
            return new org.apache.kafka.clients.producer.ProducerRecord<>(topic, null, time,
                    key == null ? null : key.serialize(element), value.serialize(element));
        }
    }

    private <T> KafkaSink<T> sink(KafkaRecordSerializationSchema<T> schema, String name) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix + "-" + name)
                .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
                .build();
    }

    static final class ResultKey implements SerializationSchema<ResultRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(ResultRecord r) {
            return r.experimentId.getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class ResultValue implements SerializationSchema<ResultRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(ResultRecord r) {
            return r.json.getBytes(StandardCharsets.UTF_8);
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
