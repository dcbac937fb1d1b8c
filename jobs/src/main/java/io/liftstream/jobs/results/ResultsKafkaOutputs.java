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
        streams.results.sinkTo(sink(kafka.resultsTopic, new ResultKey(), new ResultValue(), "results"))
                .name("kafka " + kafka.resultsTopic).uid("kafka-results-sink");
        streams.deadLetters().sinkTo(sink(kafka.deadLetterTopic, null, new RejectedValue(), "dead-letters"))
                .name("kafka " + kafka.deadLetterTopic).uid("kafka-results-dead-letter-sink");
    }

    private <T> KafkaSink<T> sink(String topic, SerializationSchema<T> key, SerializationSchema<T> value, String name) {
        KafkaRecordSerializationSchema<T> schema = key == null
                ? KafkaRecordSerializationSchema.<T>builder().setTopic(topic).setValueSerializationSchema(value).build()
                : KafkaRecordSerializationSchema.<T>builder().setTopic(topic).setKeySerializationSchema(key)
                        .setValueSerializationSchema(value).build();
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
