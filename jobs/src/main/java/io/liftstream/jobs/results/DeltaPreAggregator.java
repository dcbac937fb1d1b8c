package io.liftstream.jobs.results;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up the {@link StatsDelta}s of one subtask per (experiment, label, group, metric) and sends
 * the sums on when the watermark crosses a cadence tick (and at the end of input), so the
 * per-experiment merge receives a handful of records per experiment and tick instead of one per
 * event: no experiment becomes a hot key however many users it has.
 *
 * <p>Deltas reach this operator before the watermark that passed their event time (the per-user
 * operator emits them from event-time timers), so when the watermark crosses a tick, every delta
 * up to it has been added, and is sent before that watermark. Sums leave in key order
 * (deterministic). The pending sums are operator state, snapshotted with each checkpoint; on
 * rescaling they are redistributed, which the merge does not mind (it adds).
 */
public class DeltaPreAggregator extends AbstractStreamOperator<StatsDelta> implements OneInputStreamOperator<StatsDelta, StatsDelta> {
    private static final long serialVersionUID = 1L;

    private final long cadenceMillis;

    private transient TreeMap<String, StatsDelta> sums;
    private transient ListState<StatsDelta> checkpointed;
    private transient long lastWatermark;

    public DeltaPreAggregator(long cadenceMillis) {
        this.cadenceMillis = cadenceMillis;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        sums = new TreeMap<>();
        lastWatermark = Long.MIN_VALUE;
        checkpointed = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("pending-deltas", TypeInformation.of(StatsDelta.class)));
        for (StatsDelta d : checkpointed.get()) {
            add(d);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.update(new ArrayList<>(sums.values()));
    }

    @Override
    public void processElement(StreamRecord<StatsDelta> element) {
        add(element.getValue());
    }

    private void add(StatsDelta d) {
        StatsDelta sum = sums.get(d.aggregationKey());
        if (sum == null) {
            StatsDelta copy = new StatsDelta();
            copy.experimentId = d.experimentId;
            copy.label = d.label;
            copy.group = d.group;
            copy.phase = d.phase;
            copy.allocationPhase = d.allocationPhase;
            copy.metric = d.metric;
            copy.maxTime = d.maxTime;
            copy.add(d);
            sums.put(d.aggregationKey(), copy);
        } else {
            sum.add(d);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long w = mark.getTimestamp();
        if (w == Long.MAX_VALUE || Math.floorDiv(w, cadenceMillis) > Math.floorDiv(lastWatermark, cadenceMillis)) {
            flush();
        }
        lastWatermark = w;
        super.processWatermark(mark);
    }

    private void flush() {
        for (Map.Entry<String, StatsDelta> e : sums.entrySet()) {
            output.collect(new StreamRecord<>(e.getValue(), e.getValue().maxTime));
        }
        sums.clear();
    }

    /** For tests: the sums waiting for the next tick. */
    List<StatsDelta> pending() {
        return new ArrayList<>(sums.values());
    }
}
