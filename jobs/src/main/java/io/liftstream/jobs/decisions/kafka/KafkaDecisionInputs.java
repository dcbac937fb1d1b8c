package io.liftstream.jobs.decisions.kafka;

import io.liftstream.jobs.decisions.BroadcastItem;
import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.DecisionLine;
import io.liftstream.jobs.decisions.DecisionLineParser;
import io.liftstream.jobs.decisions.DecisionOptions;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.serde.LineLimit;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The decision job's input streams from Kafka topics, parsed in the source with {@link
 * DecisionLineParser} (a bad record becomes a dead letter, never a failure) and watermarked per
 * partition. Each source runs at min(partitions, job parallelism) subtasks: with one reader per
 * partition, a topic's event time and lateness follow its partitions' order alone, as in file mode.
 *
 * <p>Experiments topic: a changelog keyed by experiment id, as the SQL catalog's upsert-kafka table
 * writes it; a stopped experiment is a new version with status stopped. A tombstone (null value)
 * removes the experiment from its record's timestamp on: requests then get {@code
 * unknown_experiment}. An idle experiments topic stops holding back decisions after {@link
 * DecisionOptions#EXPERIMENTS_IDLENESS}; the other topics after {@link EventTimeOptions#SOURCE_IDLENESS}.
 *
 * <p>Experiments and control are read from the earliest offset on a start without state (see {@link
 * #startingOffsets(String, String)}). The control topic is created compacted if absent ({@link
 * KafkaTopics#ensureControlTopic}); an existing one that is not compacted is used with a warning.
 * Every other input topic must exist (a stream can be left out by giving its topic as the empty
 * string).
 */
public final class KafkaDecisionInputs implements DecisionJob.Inputs {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDecisionInputs.class);
    private final DecisionKafkaSettings kafka;
    private final ReadableConfig config;
    private final Map<String, String> topics;

    public KafkaDecisionInputs(DecisionKafkaSettings kafka, ReadableConfig config) {
        this.kafka = kafka;
        this.config = config;
        this.topics = kafka.inputTopics();
    }

    @Override
    public boolean has(String stream) {
        return topics.containsKey(stream);
    }

    @Override
    public DataStream<DecisionLine> open(StreamExecutionEnvironment env, String stream, WatermarkStrategy<DecisionLine> watermarks) {
        String topic = topics.get(stream);
        int partitions;
        try (KafkaTopics admin = new KafkaTopics(kafka.bootstrapServers)) {
            if (DecisionLineParser.CONTROL.equals(stream)) {
                admin.ensureControlTopic(topic);
                String policy = admin.cleanupPolicy(topic);
                if (!policy.contains("compact")) {
                    LOG.warn("The control topic {} has cleanup.policy={}, not compact: consent, suppression and delete_user "
                            + "records it deletes are forgotten by a job started without state.", topic, policy);
                }
            }
            partitions = admin.partitions(topic);
        }
        if (partitions == 0) {
            throw new IllegalArgumentException("Kafka topic " + topic + " (" + stream + ") does not exist; create it, "
                    + "or give its topic option as '' to run without the " + stream + " stream");
        }
        KafkaSourceBuilder<DecisionLine> builder = KafkaSource.<DecisionLine>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setTopics(topic)
                .setGroupId(kafka.groupId)
                .setStartingOffsets(startingOffsets(stream, kafka.startingOffsets))
                .setDeserializer(new LineDeserializer(stream, LineLimit.of(config)))
                .setProperty("isolation.level", "read_committed");
        if (kafka.bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        Duration idleness = DecisionLineParser.EXPERIMENTS.equals(stream)
                ? config.get(DecisionOptions.EXPERIMENTS_IDLENESS) : config.get(EventTimeOptions.SOURCE_IDLENESS);
        int parallelism = Math.max(1, Math.min(partitions, env.getParallelism()));
        return env.fromSource(builder.build(), watermarks.withIdleness(idleness), "kafka " + topic)
                .setParallelism(parallelism)
                .uid("decide-kafka-source-" + stream);
    }

    /**
     * Where a start without state reads {@code stream} (a restore reads from its checkpoint): the
     * experiments and control topics are changelogs of facts, read from the earliest offset whatever
     * {@code --starting-offsets} says (from committed offsets, a restart without a savepoint would
     * know no experiment and no opt-out); the other streams as {@code startingOffsets} says.
     */
    static OffsetsInitializer startingOffsets(String stream, String startingOffsets) {
        OffsetsInitializer others = startingOffsets(startingOffsets); // validated for every stream
        return DecisionLineParser.EXPERIMENTS.equals(stream) || DecisionLineParser.CONTROL.equals(stream)
                ? OffsetsInitializer.earliest() : others;
    }

    static OffsetsInitializer startingOffsets(String startingOffsets) {
        switch (startingOffsets) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            case "committed":
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default:
                throw new IllegalArgumentException("--starting-offsets must be earliest, latest or committed, was " + startingOffsets);
        }
    }

    /** Parses one stream's records; never fails. */
    static final class LineDeserializer implements KafkaRecordDeserializationSchema<DecisionLine> {
        private static final long serialVersionUID = 1L;
        private final String stream;
        private final DecisionLineParser parser = new DecisionLineParser();
        private final LineLimit limit;

        LineDeserializer(String stream, LineLimit limit) {
            this.stream = stream;
            this.limit = limit;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecisionLine> out) {
            long bytes = record.value() == null ? -1 : limit.excess(record.value());
            if (bytes >= 0) { // only the excerpt is decoded; the record is never parsed
                out.collect(DecisionLine.tooLarge(stream, LineLimit.excerpt(record.value()), bytes, limit.reason(bytes)));
                return;
            }
            out.collect(parse(stream, parser, record.key(), record.value(), record.timestamp()));
        }

        @Override
        public TypeInformation<DecisionLine> getProducedType() {
            return Types.POJO(DecisionLine.class);
        }
    }

    /** A record as a line of {@code stream}: a tombstone on the experiments topic removes its key's experiment. */
    static DecisionLine parse(String stream, DecisionLineParser parser, byte[] key, byte[] value, long recordTimestamp) {
        if (value == null) {
            if (DecisionLineParser.EXPERIMENTS.equals(stream) && key != null && key.length > 0) {
                String id = new String(key, StandardCharsets.UTF_8);
                return DecisionLine.ok(stream, "", BroadcastItem.definition(id, recordTimestamp, null));
            }
            return DecisionLine.rejected(stream, "", "malformed_json: empty record (tombstone)");
        }
        return parser.parse(stream, new String(value, StandardCharsets.UTF_8));
    }
}
