package io.liftstream.jobs.io;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.sink.KafkaSink;

import java.time.Duration;

/**
 * The one way the jobs build their Kafka sinks, so the transaction settings cannot drift apart. An
 * exactly-once sink's transactional ids are {@code <prefix>-<instance>-<output>-<subtask>-<checkpoint>}
 * ({@link JobInstance}): unique per job instance, so two jobs on one cluster never fence each
 * other's producers; its {@code transaction.timeout.ms} is the checked {@link TransactionTimeouts}
 * value; {@code max.request.size} is {@link OutputCap#MAX_REQUEST_SIZE}.
 */
public final class KafkaSinks {
    private KafkaSinks() {}

    public static <T> KafkaSinkBuilder<T> builder(String bootstrapServers, KafkaRecordSerializationSchema<T> records,
            DeliveryGuarantee guarantee, String transactionalIdPrefix, Duration transactionTimeout) {
        KafkaSinkBuilder<T> b = KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(records)
                .setDeliveryGuarantee(guarantee)
                .setProperty("max.request.size", OutputCap.MAX_REQUEST_SIZE); // records are capped at 64 KiB (OutputCap)
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            b.setTransactionalIdPrefix(transactionalIdPrefix)
                    .setProperty("transaction.timeout.ms", String.valueOf(transactionTimeout.toMillis()));
        }
        return b;
    }
}
