package io.liftstream.jobs.decisions;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The posterior loop of the embedded default (files, tests, the demo): an in-memory log shared by the
 * sink and the source of one job in one JVM (the MiniCluster), behaving like a one-partition topic.
 *
 * <p>Exactly once across a restart: the sink checkpoints the log length it has written and, when
 * restored, truncates the log to it (the aggregator, restored from the same checkpoint, republishes
 * what follows); the source checkpoints its read position. A message the source had read before the
 * checkpoint was written before the aggregator's own snapshot (the source snapshots first), so the
 * restored decision operator, aggregator and log agree.
 */
public final class InProcessLoop implements DecisionJob.Loop {
    private static final Map<String, Log> LOGS = new ConcurrentHashMap<>();

    private final String channel;

    public InProcessLoop() {
        this(UUID.randomUUID().toString());
    }

    public InProcessLoop(String channel) {
        this.channel = channel;
    }

    /** Frees the log (after the job finished). */
    public void close() {
        LOGS.remove(channel);
    }

    /** The messages published so far (for tests). */
    public List<BroadcastItem> published() {
        return log(channel).snapshot();
    }

    static Log log(String channel) {
        return LOGS.computeIfAbsent(channel, c -> new Log());
    }

    @Override
    public DataStream<BroadcastItem> subscribe(StreamExecutionEnvironment env) {
        return env.fromSource(new LoopSource(channel), new MaxWatermark(), "posterior loop (in-process)")
                .setParallelism(1)
                .setMaxParallelism(1)
                .setBufferTimeout(0)
                .uid("posterior-loop-source");
    }

    @Override
    public void publish(DataStream<BroadcastItem> updates) {
        updates.process(new LoopWriter(channel))
                .returns(Types.VOID)
                .setParallelism(1)
                .setMaxParallelism(1)
                .name("posterior loop writer (in-process)")
                .uid("posterior-loop-writer")
                .sinkTo(new DiscardingSink<>())
                .setParallelism(1)
                .name("posterior loop end")
                .uid("posterior-loop-discard");
    }

    /** An append-only list of messages with a future completed on each append. */
    static final class Log {
        private final List<BroadcastItem> items = new ArrayList<>();
        private CompletableFuture<Void> appended = new CompletableFuture<>();

        synchronized void append(BroadcastItem item) {
            items.add(item);
            CompletableFuture<Void> f = appended;
            appended = new CompletableFuture<>();
            f.complete(null);
        }

        synchronized void truncate(int size) {
            while (items.size() > size) {
                items.remove(items.size() - 1);
            }
        }

        synchronized int size() {
            return items.size();
        }

        synchronized BroadcastItem get(int i) {
            return i < items.size() ? items.get(i) : null;
        }

        synchronized CompletableFuture<Void> availableAfter(int position) {
            return position < items.size() ? CompletableFuture.completedFuture(null) : appended;
        }

        synchronized List<BroadcastItem> snapshot() {
            return Collections.unmodifiableList(new ArrayList<>(items));
        }
    }

    /** Appends the aggregator's messages to the log. */
    static final class LoopWriter extends ProcessFunction<BroadcastItem, Void> implements CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        private final String channel;
        private transient ListState<Integer> written;

        LoopWriter(String channel) {
            this.channel = channel;
        }

        @Override
        public void processElement(BroadcastItem item, Context ctx, Collector<Void> out) {
            log(channel).append(item);
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            written.update(List.of(log(channel).size()));
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            written = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("loop-written", Types.INT));
            if (context.isRestored()) {
                for (Integer n : written.get()) {
                    log(channel).truncate(n);
                }
            } else {
                log(channel).truncate(0);
            }
        }
    }

    /** The loop's only watermark is the maximum: its progress travels in-band, as markers. */
    public static final class MaxWatermark implements WatermarkStrategy<BroadcastItem> {
        private static final long serialVersionUID = 1L;

        @Override
        public WatermarkGenerator<BroadcastItem> createWatermarkGenerator(
                org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier.Context context) {
            return new WatermarkGenerator<>() {
                private boolean emitted;

                @Override
                public void onEvent(BroadcastItem event, long eventTimestamp, WatermarkOutput output) {
                    onPeriodicEmit(output);
                }

                @Override
                public void onPeriodicEmit(WatermarkOutput output) {
                    if (!emitted) {
                        emitted = true;
                        output.emitWatermark(new Watermark(Long.MAX_VALUE));
                    }
                }
            };
        }
    }

    /** The single split: the read position in the log. */
    static final class LoopSplit implements SourceSplit {
        final int position;

        LoopSplit(int position) {
            this.position = position;
        }

        @Override
        public String splitId() {
            return "loop";
        }
    }

    static final class LoopSource implements Source<BroadcastItem, LoopSplit, Boolean> {
        private static final long serialVersionUID = 1L;
        private final String channel;

        LoopSource(String channel) {
            this.channel = channel;
        }

        @Override
        public Boundedness getBoundedness() {
            return Boundedness.CONTINUOUS_UNBOUNDED;
        }

        @Override
        public SplitEnumerator<LoopSplit, Boolean> createEnumerator(SplitEnumeratorContext<LoopSplit> ctx) {
            return new Enumerator(ctx, false);
        }

        @Override
        public SplitEnumerator<LoopSplit, Boolean> restoreEnumerator(SplitEnumeratorContext<LoopSplit> ctx, Boolean assigned) {
            return new Enumerator(ctx, assigned);
        }

        @Override
        public SimpleVersionedSerializer<LoopSplit> getSplitSerializer() {
            return new SplitSerializer();
        }

        @Override
        public SimpleVersionedSerializer<Boolean> getEnumeratorCheckpointSerializer() {
            return new BooleanSerializer();
        }

        @Override
        public SourceReader<BroadcastItem, LoopSplit> createReader(SourceReaderContext ctx) {
            return new Reader(channel);
        }
    }

    static final class Enumerator implements SplitEnumerator<LoopSplit, Boolean> {
        private final SplitEnumeratorContext<LoopSplit> ctx;
        private boolean assigned;
        private final List<LoopSplit> returned = new ArrayList<>();

        Enumerator(SplitEnumeratorContext<LoopSplit> ctx, boolean assigned) {
            this.ctx = ctx;
            this.assigned = assigned;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<LoopSplit> splits, int subtaskId) {
            returned.addAll(splits);
        }

        @Override
        public void addReader(int subtaskId) {
            if (!returned.isEmpty()) {
                ctx.assignSplit(returned.remove(0), subtaskId);
            } else if (!assigned) {
                assigned = true;
                ctx.assignSplit(new LoopSplit(0), subtaskId);
            }
        }

        @Override
        public Boolean snapshotState(long checkpointId) {
            return assigned;
        }

        @Override
        public void close() {}
    }

    static final class Reader implements SourceReader<BroadcastItem, LoopSplit> {
        private final String channel;
        private LoopSplit split;
        private int position;
        private CompletableFuture<Void> splitArrived = new CompletableFuture<>();

        Reader(String channel) {
            this.channel = channel;
        }

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<BroadcastItem> output) {
            if (split == null) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            BroadcastItem item = log(channel).get(position);
            if (item == null) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            position++;
            output.collect(item);
            return item.kind == BroadcastItem.END ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
        }

        @Override
        public List<LoopSplit> snapshotState(long checkpointId) {
            return split == null ? List.of() : List.of(new LoopSplit(position));
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            if (split == null) {
                return splitArrived;
            }
            return log(channel).availableAfter(position);
        }

        @Override
        public void addSplits(List<LoopSplit> splits) {
            if (!splits.isEmpty()) {
                split = splits.get(0);
                position = split.position;
                splitArrived.complete(null);
            }
        }

        @Override
        public void notifyNoMoreSplits() {}

        @Override
        public void close() {}
    }

    static final class SplitSerializer implements SimpleVersionedSerializer<LoopSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(LoopSplit split) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(split.position);
            }
            return bytes.toByteArray();
        }

        @Override
        public LoopSplit deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new LoopSplit(in.readInt());
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

    static TypeInformation<BroadcastItem> type() {
        return Types.POJO(BroadcastItem.class);
    }
}
