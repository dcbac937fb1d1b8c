package io.liftstream.jobs.decisions.kafka;

import io.liftstream.jobs.decisions.BroadcastItem;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the posterior loop topic (one partition) {@code read_committed}, from a position fixed when
 * the job was wired (the topic's end then: nothing of an earlier run) or, after a restore, from the
 * checkpointed offset. Ends after the {@link BroadcastItem#END} record, which the aggregator writes
 * when a bounded run is complete (Flink's {@code KafkaSource} cannot end on a record). One split,
 * one reader: the loop source runs at parallelism 1.
 */
public final class LoopTopicSource implements Source<BroadcastItem, LoopTopicSource.Split, Boolean> {
    private static final long serialVersionUID = 1L;

    private final String bootstrapServers;
    private final String topic;
    private final long startOffset;

    public LoopTopicSource(String bootstrapServers, String topic, long startOffset) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.startOffset = startOffset;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<Split, Boolean> createEnumerator(SplitEnumeratorContext<Split> ctx) {
        return new Enumerator(ctx, new Split(topic, startOffset), false);
    }

    @Override
    public SplitEnumerator<Split, Boolean> restoreEnumerator(SplitEnumeratorContext<Split> ctx, Boolean assigned) {
        return new Enumerator(ctx, new Split(topic, startOffset), assigned);
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Boolean> getEnumeratorCheckpointSerializer() {
        return new BooleanSerializer();
    }

    @Override
    public SourceReader<BroadcastItem, Split> createReader(SourceReaderContext ctx) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        return new Reader(() -> new TopicReader(props), ctx);
    }

    /** The loop partition and the next offset to read. */
    public static final class Split implements SourceSplit {
        final String topic;
        final long offset;

        Split(String topic, long offset) {
            this.topic = topic;
            this.offset = offset;
        }

        @Override
        public String splitId() {
            return topic + "-0";
        }
    }

    /** Mutable read position of the reader's split. */
    static final class Position {
        final String topic;
        long offset;

        Position(String topic, long offset) {
            this.topic = topic;
            this.offset = offset;
        }
    }

    static final class Reader extends SingleThreadMultiplexSourceReaderBase<ConsumerRecord<byte[], byte[]>, BroadcastItem, Split, Position> {
        Reader(java.util.function.Supplier<SplitReader<ConsumerRecord<byte[], byte[]>, Split>> splitReader, SourceReaderContext ctx) {
            super(splitReader, new Emitter(), new Configuration(), ctx);
        }

        @Override
        protected void onSplitFinished(Map<String, Position> finished) {}

        @Override
        protected Position initializedState(Split split) {
            return new Position(split.topic, split.offset);
        }

        @Override
        protected Split toSplitType(String splitId, Position state) {
            return new Split(state.topic, state.offset);
        }
    }

    static final class Emitter implements RecordEmitter<ConsumerRecord<byte[], byte[]>, BroadcastItem, Position> {
        @Override
        public void emitRecord(ConsumerRecord<byte[], byte[]> record, SourceOutput<BroadcastItem> output, Position position) {
            output.collect(LoopMessages.parse(record.value()));
            position.offset = record.offset() + 1;
        }
    }

    /** Polls the loop partition on the fetcher thread; finishes the split after the END record. */
    static final class TopicReader implements SplitReader<ConsumerRecord<byte[], byte[]>, Split> {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private String splitId;

        TopicReader(Properties props) {
            this.consumer = new KafkaConsumer<>(props);
        }

        @Override
        public RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> fetch() {
            RecordsBySplits.Builder<ConsumerRecord<byte[], byte[]>> out = new RecordsBySplits.Builder<>();
            if (splitId == null) {
                return out.build();
            }
            try {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(splitId, r);
                    if (LoopMessages.isEnd(r.key())) {
                        out.addFinishedSplit(splitId);
                        consumer.unsubscribe();
                        splitId = null;
                        break;
                    }
                }
            } catch (WakeupException e) {
                // woken up to take new splits or to close: return what there is
            }
            return out.build();
        }

        @Override
        public void handleSplitsChanges(SplitsChange<Split> change) {
            if (!(change instanceof SplitsAddition)) {
                return;
            }
            for (Split s : change.splits()) {
                TopicPartition tp = new TopicPartition(s.topic, 0);
                consumer.assign(List.of(tp));
                consumer.seek(tp, s.offset);
                splitId = s.splitId();
            }
        }

        @Override
        public void wakeUp() {
            consumer.wakeup();
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns the one split once (a restored reader brings its own), then signals no more splits. */
    static final class Enumerator implements SplitEnumerator<Split, Boolean> {
        private final SplitEnumeratorContext<Split> ctx;
        private final Split initial;
        private boolean assigned;
        private final List<Split> returned = new ArrayList<>();

        Enumerator(SplitEnumeratorContext<Split> ctx, Split initial, boolean assigned) {
            this.ctx = ctx;
            this.initial = initial;
            this.assigned = assigned;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<Split> splits, int subtaskId) {
            returned.addAll(splits);
        }

        @Override
        public void addReader(int subtaskId) {
            if (!returned.isEmpty()) {
                ctx.assignSplit(returned.remove(0), subtaskId);
            } else if (!assigned) {
                assigned = true;
                ctx.assignSplit(initial, subtaskId);
            }
            ctx.signalNoMoreSplits(subtaskId);
        }

        @Override
        public Boolean snapshotState(long checkpointId) {
            return assigned;
        }

        @Override
        public void close() {}
    }

    static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Split split) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(split.topic);
                out.writeLong(split.offset);
            }
            return bytes.toByteArray();
        }

        @Override
        public Split deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new Split(in.readUTF(), in.readLong());
            }
        }
    }

    static final class BooleanSerializer implements SimpleVersionedSerializer<Boolean> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Boolean b) {
            return new byte[] {(byte) (b ? 1 : 0)};
        }

        @Override
        public Boolean deserialize(int version, byte[] serialized) {
            return serialized.length > 0 && serialized[0] == 1;
        }
    }
}
