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
import org.apache.flink.metrics.Counter;

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
 *
 * <p>Only the messages of this job's runs are emitted (the run id leads each key,
 * {@link LoopMessages}): the run that wired the source and the runs its checkpointed split was
 * read by (a job restored by a new command may have a new id, and must still read what its
 * predecessor published after the checkpoint; the last {@link #MAX_RUNS} are kept). Another job's
 * messages on the same topic are skipped and counted ({@value #OTHER_RUNS_METRIC}); its end does not
 * end this loop.
 */
public final class LoopTopicSource implements Source<BroadcastItem, LoopTopicSource.Split, Boolean> {
    private static final long serialVersionUID = 1L;

    private final String bootstrapServers;
    private final String topic;
    private final long startOffset;
    private final String run;

    /** Runs a split remembers: restores by new commands before the oldest are long past the checkpoint. */
    static final int MAX_RUNS = 16;
    /** Counter (on the source's metric group) of skipped messages of other runs. */
    public static final String OTHER_RUNS_METRIC = "loopMessagesOfOtherRuns";

    public LoopTopicSource(String bootstrapServers, String topic, long startOffset, String run) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.startOffset = startOffset;
        this.run = run;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<Split, Boolean> createEnumerator(SplitEnumeratorContext<Split> ctx) {
        return new Enumerator(ctx, new Split(topic, startOffset, List.of(run)), false);
    }

    @Override
    public SplitEnumerator<Split, Boolean> restoreEnumerator(SplitEnumeratorContext<Split> ctx, Boolean assigned) {
        return new Enumerator(ctx, new Split(topic, startOffset, List.of(run)), assigned);
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
        Counter otherRuns = ctx.metricGroup().counter(OTHER_RUNS_METRIC);
        return new Reader(() -> new TopicReader(props, run), new Emitter(otherRuns), ctx, run);
    }

    /** The loop partition, the next offset to read and the runs whose messages are this job's. */
    public static final class Split implements SourceSplit {
        final String topic;
        final long offset;
        final List<String> runs;

        Split(String topic, long offset, List<String> runs) {
            this.topic = topic;
            this.offset = offset;
            this.runs = List.copyOf(runs);
        }

        /** This split read by {@code run} too: appended if new, the oldest dropped beyond {@link #MAX_RUNS}. */
        Split withRun(String run) {
            if (runs.contains(run)) {
                return this;
            }
            List<String> r = new ArrayList<>(runs);
            r.add(run);
            return new Split(topic, offset, r.subList(Math.max(0, r.size() - MAX_RUNS), r.size()));
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
        final List<String> runs;

        Position(String topic, long offset, List<String> runs) {
            this.topic = topic;
            this.offset = offset;
            this.runs = runs;
        }
    }

    static final class Reader extends SingleThreadMultiplexSourceReaderBase<ConsumerRecord<byte[], byte[]>, BroadcastItem, Split, Position> {
        private final String run;

        Reader(java.util.function.Supplier<SplitReader<ConsumerRecord<byte[], byte[]>, Split>> splitReader, Emitter emitter,
                SourceReaderContext ctx, String run) {
            super(splitReader, emitter, new Configuration(), ctx);
            this.run = run;
        }

        @Override
        protected void onSplitFinished(Map<String, Position> finished) {}

        @Override
        protected Position initializedState(Split split) {
            Split mine = split.withRun(run);
            return new Position(mine.topic, mine.offset, mine.runs);
        }

        @Override
        protected Split toSplitType(String splitId, Position state) {
            return new Split(state.topic, state.offset, state.runs);
        }
    }

    /** Emits this job's runs' messages, counts and skips the others. */
    static final class Emitter implements RecordEmitter<ConsumerRecord<byte[], byte[]>, BroadcastItem, Position> {
        private final Counter otherRuns;

        Emitter(Counter otherRuns) {
            this.otherRuns = otherRuns;
        }

        @Override
        public void emitRecord(ConsumerRecord<byte[], byte[]> record, SourceOutput<BroadcastItem> output, Position position) {
            if (position.runs.contains(LoopMessages.run(record.key()))) {
                output.collect(LoopMessages.parse(record.value()));
            } else {
                otherRuns.inc();
            }
            position.offset = record.offset() + 1;
        }
    }

    /** Polls the loop partition on the fetcher thread; finishes the split after the END record. */
    static final class TopicReader implements SplitReader<ConsumerRecord<byte[], byte[]>, Split> {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String run;
        private String splitId;
        private List<String> runs = List.of();

        TopicReader(Properties props, String run) {
            this.consumer = new KafkaConsumer<>(props);
            this.run = run;
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
                    if (LoopMessages.isEnd(r.key()) && runs.contains(LoopMessages.run(r.key()))) {
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
                runs = s.withRun(run).runs;
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

    /** Version 2 adds the runs; a version-1 split (before run ids) read the legacy run. */
    static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 2;
        }

        @Override
        public byte[] serialize(Split split) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(split.topic);
                out.writeLong(split.offset);
                out.writeInt(split.runs.size());
                for (String r : split.runs) {
                    out.writeUTF(r);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public Split deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                String topic = in.readUTF();
                long offset = in.readLong();
                if (version == 1) {
                    return new Split(topic, offset, List.of(LoopMessages.LEGACY_RUN));
                }
                List<String> runs = new ArrayList<>();
                for (int i = in.readInt(); i > 0; i--) {
                    runs.add(in.readUTF());
                }
                return new Split(topic, offset, runs);
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
