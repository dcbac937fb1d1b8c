package io.liftstream.jobs.decisions;

import io.liftstream.experiments.decision.PosteriorEpochs;

import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

import java.util.List;

/**
 * Runs {@link DecisionFunction} with a gated event-time clock. Input 1 is the users' items (keyed),
 * input 2 the broadcast definitions and loop messages. Flink would fire the function's timers at
 * min(input watermarks); this operator fires them at
 * <pre>  F = min(items' watermark, broadcast watermark, G + Δ − 1)</pre>
 * where G is the loop's latest marker: every reward observed before G has been published, so an item
 * at t ≤ F reads complete posteriors for epochStart(t) ≤ G. After each advance it reports its progress
 * to the aggregator: first the reward deltas of every epoch it has finished, then
 * <pre>  X = epochStart(min(items' watermark + 1, start of the earliest epoch still holding an item))</pre>
 * (it will never observe a reward before X: rewards are observed only while processing items, at
 * their timestamps, and later items arrive above the watermark). The aggregator publishes G = min over
 * subtasks of X. The subtask whose X is smallest can always run its earliest item once that G is
 * back, so the loop never deadlocks, and it starts on its own: X needs no marker.
 *
 * <p>Idleness: when the whole broadcast input is idle (an idle definitions topic), it stops holding
 * back event time; the items input never does (idle item partitions are handled per partition by
 * the source's watermarks). No watermark status is forwarded: this operator's output watermark is F.
 */
public class GatedDecisionOperator extends CoBroadcastWithKeyedOperator<String, UserItem, BroadcastItem, DecisionRecord> {
    private static final long serialVersionUID = 1L;

    private final PosteriorEpochs epochs;

    private transient long itemsWatermark;
    private transient long broadcastWatermark;
    private transient boolean broadcastIdle;
    private transient long fired;
    private transient long reported;

    public GatedDecisionOperator(DecisionFunction function) {
        super(function, List.of(DecisionFunction.DEFINITIONS, DecisionFunction.POSTERIORS, DecisionFunction.LOOP));
        this.epochs = function.epochs();
    }

    private DecisionFunction fn() {
        return (DecisionFunction) getUserFunction();
    }

    @Override
    public void open() throws Exception {
        super.open();
        itemsWatermark = Long.MIN_VALUE;
        broadcastWatermark = Long.MIN_VALUE;
        broadcastIdle = false;
        fired = Long.MIN_VALUE;
        reported = Long.MIN_VALUE;
        fn().restoreMarker(getOperatorStateBackend().getBroadcastState(DecisionFunction.LOOP));
    }

    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        itemsWatermark = Math.max(itemsWatermark, mark.getTimestamp());
        advance();
    }

    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        broadcastWatermark = Math.max(broadcastWatermark, mark.getTimestamp());
        advance();
    }

    @Override
    public void processElement2(StreamRecord<BroadcastItem> element) throws Exception {
        super.processElement2(element);
        if (element.getValue().kind == BroadcastItem.MARKER) {
            advance();
        }
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        // Only the broadcast side may stop holding back: an idle definitions topic (with the loop at
        // the maximum) must not stall decisions. An idle items input just has no new items.
        if (index == 1 && status.isIdle() != broadcastIdle) {
            broadcastIdle = status.isIdle();
            advance();
        }
    }

    /** Current event time of the function (for tests). */
    public long firedWatermark() {
        return fired;
    }

    private void advance() throws Exception {
        DecisionFunction fn = fn();
        long f = Math.min(Math.min(itemsWatermark, broadcastIdle ? Long.MAX_VALUE : broadcastWatermark), fn.gateWatermark());
        if (f > fired) {
            fired = f;
            super.processWatermark(new Watermark(f));
        }
        fn.forgetEpochsThrough(fired);
        if (itemsWatermark == Long.MIN_VALUE) {
            return;
        }
        long x = itemsWatermark == Long.MAX_VALUE ? Long.MAX_VALUE : itemsWatermark + 1;
        Long first = fn.firstPendingEpoch();
        if (first != null) {
            x = Math.min(x, epochs.startOf(first));
        }
        x = epochs.start(x);
        if (x > reported) {
            reported = x;
            fn.flushDeltas(x, r -> output.collect(DecisionFunction.LOOP_OUT, new StreamRecord<>(r)));
            int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            output.collect(DecisionFunction.LOOP_OUT, new StreamRecord<>(LoopRecord.progress(subtask, parallelism, x)));
        }
    }
}
