package io.liftstream.jobs.io;

import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.serde.LineLimit;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.SegmentEventParser;
import io.liftstream.jobs.triggers.TriggerJob;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.nio.charset.StandardCharsets;

/**
 * Events from a Kafka topic. Lines are parsed in the source; each record keeps its Kafka timestamp,
 * which bounds how far in the future its event may be dated ({@code future_timestamp}). Watermarks
 * are made per source subtask by the job's {@link io.liftstream.jobs.input.InputSplitter} from the
 * events it accepts (checkpointed, so a restore continues with the same event time); an idle
 * partition stops holding back the watermark after the configured idleness, and marks its subtask
 * active again with its next record.
 *
 * <p>Reproducible replays need a source parallelism of at least the topic's partition count: a reader
 * holding several partitions has one event time for all of them, so which events count as late then
 * depends on how the reads of those partitions interleave. Nothing is dropped either way: a late
 * event goes to the late output. A record over {@link io.liftstream.jobs.input.InputOptions#MAX_LINE_BYTES}
 * is not decoded beyond its first 4 KiB nor parsed: it becomes a {@code too_large} dead letter.
 */
public final class KafkaLines implements TriggerJob.Input {
    private final KafkaSettings kafka;
    private final ReadableConfig config;

    public KafkaLines(KafkaSettings kafka, ReadableConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    @Override
    public DataStream<ParsedLine> open(StreamExecutionEnvironment env, WatermarkStrategy<ParsedLine> watermarks) {
        KafkaSourceBuilder<ParsedLine> builder = KafkaSource.<ParsedLine>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setTopics(kafka.inputTopic)
                .setGroupId(kafka.groupId)
                .setStartingOffsets(startingOffsets())
                .setValueOnlyDeserializer(new ParsingDeserializer(LineLimit.of(config)))
                .setProperty("isolation.level", "read_committed"); // a transactional producer's aborted events never count
        if (kafka.bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(),
                        watermarks.withIdleness(config.get(EventTimeOptions.SOURCE_IDLENESS)),
                        "kafka " + kafka.inputTopic)
                .uid("kafka-source");
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

    /** Parses record values; never fails, bad records become dead letters downstream. */
    static final class ParsingDeserializer implements DeserializationSchema<ParsedLine> {
        private static final long serialVersionUID = 1L;
        private final SegmentEventParser parser = new SegmentEventParser();
        private final LineLimit limit;

        ParsingDeserializer(LineLimit limit) {
            this.limit = limit;
        }

        @Override
        public ParsedLine deserialize(byte[] message) {
            if (message == null) {
                return ParsedLine.rejected("", "malformed_json: empty record (tombstone)");
            }
            long bytes = limit.excess(message);
            if (bytes >= 0) { // only the excerpt is decoded; the record is never parsed
                return ParsedLine.tooLarge(LineLimit.excerpt(message), bytes, limit.reason(bytes));
            }
            return parser.parse(new String(message, StandardCharsets.UTF_8));
        }

        @Override
        public boolean isEndOfStream(ParsedLine next) {
            return false;
        }

        @Override
        public TypeInformation<ParsedLine> getProducedType() {
            return TypeInformation.of(ParsedLine.class);
        }
    }
}
