package io.liftstream.jobs.triggers;

import io.liftstream.triggers.TriggerRecord;
import io.liftstream.triggers.TriggerType;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counts triggers by type in Flink metrics ({@code liftstreamTriggers_<type>}) and in accumulators of
 * the same names, for end-of-run summaries. Passes records through unchanged.
 */
public class TriggerCounter extends RichMapFunction<TriggerRecord, TriggerRecord> {
    private static final long serialVersionUID = 1L;

    public static final String PREFIX = "liftstreamTriggers_";

    private transient Map<TriggerType, Counter> metrics;
    private transient Map<TriggerType, LongCounter> totals;

    public static String name(TriggerType type) {
        return PREFIX + type.id();
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = new EnumMap<>(TriggerType.class);
        totals = new EnumMap<>(TriggerType.class);
        for (TriggerType type : TriggerType.values()) {
            metrics.put(type, getRuntimeContext().getMetricGroup().counter(name(type)));
            totals.put(type, getRuntimeContext().getLongCounter(name(type)));
        }
    }

    @Override
    public TriggerRecord map(TriggerRecord trigger) {
        TriggerType type = TriggerType.ofId(trigger.trigger);
        metrics.get(type).inc();
        totals.get(type).add(1);
        return trigger;
    }
}
