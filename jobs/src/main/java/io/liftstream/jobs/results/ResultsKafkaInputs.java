package io.liftstream.jobs.results;

import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.serde.LineLimit;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.nio.charset.StandardCharsets;

/**
 * The three inputs from Kafka topics, parsed in the source, with per-partition watermarks and the
 * configured idleness (an idle partition, such as the rarely written experiments topic, does not
 * hold the job's event time back). The experiments topic is always read from its beginning: it is
 * the changelog of every definition. A definition without {@code timestamp} takes effect at its
 * record's Kafka timestamp. Tombstones on the experiments topic (an upsert table's delete) are
 * skipped: the last version stays in force (stop an experiment to end it); elsewhere they are
 * dead letters.
 */
public final class ResultsKafkaInputs implements ResultsJob.Inputs {
    private final ResultsKafkaSettings kafka;
    private final ReadableConfig config;

    public ResultsKafkaInputs(ResultsKafkaSettings kafka, ReadableConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    @Override
    public DataStream<ResultsLine> open(StreamExecutionEnvironment env, ResultsJob.Stream stream,
            WatermarkStrategy<ResultsLine> watermarks) {
        String topic = kafka.topic(stream);
        KafkaSourceBuilder<ResultsLine> builder = KafkaSource.<ResultsLine>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setTopics(topic)
                .setGroupId(kafka.groupId + "-" + stream.id)
                .setStartingOffsets(stream == ResultsJob.Stream.EXPERIMENTS ? OffsetsInitializer.earliest() : startingOffsets())
                .setValueOnlyDeserializer(new Deserializer(stream, LineLimit.of(config)))
                // decisions come from the decision job's transactions: never count an aborted attempt's
                .setProperty("isolation.level", "read_committed");
        if (kafka.bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), watermarks.withIdleness(config.get(EventTimeOptions.SOURCE_IDLENESS)),
                        "kafka " + topic)
                .uid("kafka-" + stream.id + "-source");
    }

    private OffsetsInitializer startingOffsets() {
        switch (kafka.startingOffsets) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            case "committed":
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default:
                throw new IllegalArgumentException(
                        "--starting-offsets must be earliest, latest or committed, was " + kafka.startingOffsets);
        }
    }

    /** Parses record values; never fails. */
    static final class Deserializer implements DeserializationSchema<ResultsLine> {
        private static final long serialVersionUID = 1L;
        private final ResultsJob.Stream stream;
        private final LineLimit limit;

        Deserializer(ResultsJob.Stream stream, LineLimit limit) {
            this.stream = stream;
            this.limit = limit;
        }

        @Override
        public ResultsLine deserialize(byte[] message) {
            if (message == null) {
                return stream == ResultsJob.Stream.EXPERIMENTS ? null
                        : ResultsLine.rejected("", "malformed_json: empty record (tombstone)");
            }
            long bytes = limit.excess(message);
            if (bytes >= 0) { // only the excerpt is decoded; the record is never parsed
                return ResultsLine.tooLarge(LineLimit.excerpt(message), bytes, limit.reason(bytes));
            }
            return stream.parser.parse(new String(message, StandardCharsets.UTF_8));
        }

        @Override
        public boolean isEndOfStream(ResultsLine next) {
            return false;
        }

        @Override
        public TypeInformation<ResultsLine> getProducedType() {
            return TypeInformation.of(ResultsLine.class);
        }
    }
}
