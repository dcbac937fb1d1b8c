package io.liftstream.jobs.io;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records for one topic whose Kafka timestamp is the producer's clock, not the element's event time.
 * Flink's default serializer copies the event time into the record, and a Kafka 4 broker rejects
 * records more than {@code log.message.timestamp.after.max.ms} (1 h) in the future: one request
 * with a timestamp ahead of the broker's clock would fail the write, and the job with it, on every
 * restart. The event time stays in the JSON ({@code timestamp}).
 */
public final class WallClockRecords<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializationSchema<T> key;
    private final SerializationSchema<T> value;

    /** {@code key} may be null: records without a key. */
    public WallClockRecords(String topic, SerializationSchema<T> key, SerializationSchema<T> value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, null, key == null ? null : key.serialize(element), value.serialize(element));
    }
}
