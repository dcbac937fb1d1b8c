package io.liftstream.triggers;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * At most one engagement_spike per user per window: a spike whose event time is less than a window
 * after the user's previous spike is dropped. State: the last spike's time, cleared by an event-time
 * timer one window later.
 */
public class SpikeCooldownFunction extends KeyedProcessFunction<String, TriggerRecord, TriggerRecord> {
    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private transient ValueState<Long> lastSpikeAt;

    public SpikeCooldownFunction(TriggerSettings settings) {
        this.windowMillis = settings.spikeWindow.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        lastSpikeAt = getRuntimeContext().getState(new ValueStateDescriptor<>("last-spike-at", Long.class));
    }

    @Override
    public void processElement(TriggerRecord spike, Context ctx, Collector<TriggerRecord> out) throws Exception {
        Long last = lastSpikeAt.value();
        if (last != null && spike.eventTime - last < windowMillis) {
            return;
        }
        lastSpikeAt.update(spike.eventTime);
        ctx.timerService().registerEventTimeTimer(spike.eventTime + windowMillis);
        out.collect(spike);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TriggerRecord> out) throws Exception {
        Long last = lastSpikeAt.value();
        if (last != null && last + windowMillis <= timestamp) {
            lastSpikeAt.clear();
        }
    }
}
