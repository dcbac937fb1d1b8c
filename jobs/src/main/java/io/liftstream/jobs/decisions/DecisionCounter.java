package io.liftstream.jobs.decisions;

import io.liftstream.experiments.decision.DecisionReason;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

import java.util.EnumMap;
import java.util.Map;

/** Counts decisions by reason: metric and accumulator {@code liftstreamDecisions.<reason>}. */
public class DecisionCounter extends RichMapFunction<DecisionRecord, DecisionRecord> {
    private static final long serialVersionUID = 1L;

    private transient Map<DecisionReason, Counter> counters;
    private transient Map<DecisionReason, LongCounter> totals;

    public static String name(DecisionReason reason) {
        return "liftstreamDecisions." + reason.wireName;
    }

    @Override
    public void open(OpenContext openContext) {
        counters = new EnumMap<>(DecisionReason.class);
        totals = new EnumMap<>(DecisionReason.class);
        for (DecisionReason r : DecisionReason.values()) {
            counters.put(r, getRuntimeContext().getMetricGroup().counter(name(r)));
            totals.put(r, getRuntimeContext().getLongCounter(name(r)));
        }
    }

    @Override
    public DecisionRecord map(DecisionRecord r) {
        for (DecisionReason reason : DecisionReason.values()) {
            if (reason.wireName.equals(r.reason)) {
                counters.get(reason).inc();
                totals.get(reason).add(1);
            }
        }
        return r;
    }
}
