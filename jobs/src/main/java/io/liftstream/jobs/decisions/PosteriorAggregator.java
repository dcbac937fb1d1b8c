package io.liftstream.jobs.decisions;

import io.liftstream.experiments.decision.PosteriorEpochs;
import io.liftstream.experiments.decision.RewardTally;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the decision subtasks' reward deltas into per-experiment posteriors and publishes them on
 * the loop, epoch by epoch, once every subtask's progress has passed the epoch's end. Runs as one
 * subtask: its input is pre-aggregated (per decision subtask, experiment, arm and epoch: at most
 * subtasks × arms + subtasks records per epoch, whatever the number of users), and one input channel
 * per decision subtask keeps each subtask's deltas ahead of its progress.
 *
 * <p>When the least progress G rises, it sends, for each experiment (in id order) and each of its
 * epochs that ended before G (in time order), the cumulative tallies through that epoch, then a
 * {@link BroadcastItem#MARKER} with G. When G reaches the end of time (every decision subtask is done,
 * in a bounded run), it sends {@link BroadcastItem#END} after the last marker, and the loop closes.
 */
public class PosteriorAggregator extends ProcessFunction<LoopRecord, BroadcastItem> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String LATE_DELTAS = "liftstreamLateRewardDeltas";
    public static final String PUBLISHED = "liftstreamPosteriorUpdates";
    /** The holdout group's key in the tallies (arm names are never empty). */
    static final String HOLDOUT = "";

    private final PosteriorEpochs epochs;

    private transient long[] progress;
    private transient long published;
    /** experiment → epoch → arm → delta. */
    private transient TreeMap<String, TreeMap<Long, TreeMap<String, RewardTally>>> pending;
    /** experiment → arm → cumulative tally. */
    private transient TreeMap<String, TreeMap<String, RewardTally>> cumulative;
    private transient ListState<AggregatorState> state;
    private transient Counter late;
    private transient Counter updates;

    public PosteriorAggregator(DecisionSettings settings) {
        this.epochs = new PosteriorEpochs(settings.posteriorInterval);
    }

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().counter(LATE_DELTAS);
        updates = getRuntimeContext().getMetricGroup().counter(PUBLISHED);
    }

    @Override
    public void processElement(LoopRecord r, Context ctx, Collector<BroadcastItem> out) {
        if (r.kind == LoopRecord.DELTA) {
            long epoch = r.epoch;
            if (published != Long.MIN_VALUE && (published == Long.MAX_VALUE || epochs.startOf(epoch + 1) <= published)) {
                // The protocol rules this out; if it ever happens the reward still counts, one epoch late.
                late.inc();
                epoch = published == Long.MAX_VALUE ? epoch : epochs.epoch(published);
            }
            pending.computeIfAbsent(r.experimentId, k -> new TreeMap<>())
                    .computeIfAbsent(epoch, k -> new TreeMap<>())
                    .computeIfAbsent(key(r.arm), k -> new RewardTally())
                    .add(r.tally);
            return;
        }
        if (progress == null || progress.length != r.parallelism) {
            progress = new long[r.parallelism]; // a rescaled decision operator reports afresh
            Arrays.fill(progress, Long.MIN_VALUE);
        }
        progress[r.subtask] = Math.max(progress[r.subtask], r.bound);
        long g = Long.MAX_VALUE;
        for (long p : progress) {
            g = Math.min(g, p);
        }
        if (g > published || (published == Long.MIN_VALUE && g != Long.MIN_VALUE)) {
            publish(g, out);
        }
    }

    private void publish(long g, Collector<BroadcastItem> out) {
        for (Map.Entry<String, TreeMap<Long, TreeMap<String, RewardTally>>> e : pending.entrySet()) {
            String experimentId = e.getKey();
            TreeMap<Long, TreeMap<String, RewardTally>> byEpoch = e.getValue();
            while (!byEpoch.isEmpty() && (g == Long.MAX_VALUE || epochs.startOf(byEpoch.firstKey() + 1) <= g)) {
                Map.Entry<Long, TreeMap<String, RewardTally>> first = byEpoch.pollFirstEntry();
                TreeMap<String, RewardTally> total = cumulative.computeIfAbsent(experimentId, k -> new TreeMap<>());
                first.getValue().forEach((arm, delta) -> total.computeIfAbsent(arm, k -> new RewardTally()).add(delta));
                List<ArmTally> arms = new ArrayList<>();
                total.forEach((arm, t) -> arms.add(new ArmTally(arm.equals(HOLDOUT) ? null : arm, RewardTally.copyOf(t))));
                out.collect(BroadcastItem.posterior(experimentId, epochs.startOf(first.getKey() + 1), arms));
                updates.inc();
            }
        }
        pending.values().removeIf(Map::isEmpty);
        published = g;
        out.collect(BroadcastItem.marker(g));
        if (g == Long.MAX_VALUE) {
            out.collect(BroadcastItem.end());
        }
    }

    private static String key(String arm) {
        return arm == null ? HOLDOUT : arm;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        AggregatorState s = new AggregatorState();
        s.published = published;
        if (progress != null) {
            for (long p : progress) {
                s.progress.add(p);
            }
        }
        pending.forEach((exp, byEpoch) -> byEpoch.forEach((epoch, byArm) -> byArm.forEach((arm, t) ->
                s.pending.add(LoopRecord.delta(exp, arm, epoch, t)))));
        cumulative.forEach((exp, byArm) -> byArm.forEach((arm, t) -> s.cumulative.add(LoopRecord.delta(exp, arm, 0, t))));
        state.update(List.of(s));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("posterior-aggregator", Types.POJO(AggregatorState.class)));
        pending = new TreeMap<>();
        cumulative = new TreeMap<>();
        published = Long.MIN_VALUE;
        progress = null;
        if (context.isRestored()) {
            for (AggregatorState s : state.get()) {
                published = s.published;
                if (!s.progress.isEmpty()) {
                    progress = s.progress.stream().mapToLong(Long::longValue).toArray();
                }
                for (LoopRecord r : s.pending) {
                    pending.computeIfAbsent(r.experimentId, k -> new TreeMap<>()).computeIfAbsent(r.epoch, k -> new TreeMap<>())
                            .put(r.arm, r.tally);
                }
                for (LoopRecord r : s.cumulative) {
                    cumulative.computeIfAbsent(r.experimentId, k -> new TreeMap<>()).put(r.arm, r.tally);
                }
            }
        }
    }

    /** The aggregator's checkpointed state. A Flink POJO. */
    public static class AggregatorState {
        public long published;
        public List<Long> progress = new ArrayList<>();
        /** Arms keyed as in the aggregator: "" is the holdout group. */
        public List<LoopRecord> pending = new ArrayList<>();
        public List<LoopRecord> cumulative = new ArrayList<>();

        public AggregatorState() {}
    }

    static final Comparator<String> ARM_ORDER = Comparator.naturalOrder();
}
