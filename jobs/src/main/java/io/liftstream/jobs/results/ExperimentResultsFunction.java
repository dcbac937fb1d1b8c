package io.liftstream.jobs.results;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.results.ExperimentResult;
import io.liftstream.experiments.results.ResultsCalculator;
import io.liftstream.experiments.results.ResultsTotals;
import io.liftstream.experiments.results.SrmEpochs;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * The per-experiment half of the results job, keyed by experiment id: adds up the pre-aggregated
 * {@link StatsDelta}s and emits a {@link ResultRecord} (computed by {@link ResultsCalculator}):
 *
 * <ul>
 *   <li>at every cadence tick T (epoch-aligned) at which new deltas arrived: as of T, covering the
 *       inputs with event time before T;</li>
 *   <li>at every status change of the definition (running, paused, stopped) at time s: as of s,
 *       covering the inputs before s, with the new status;</li>
 *   <li>once more at the end of a bounded input: as of 1 ms after the latest input seen.</li>
 * </ul>
 * Deltas wait per label until the watermark passes the tick after it (the pre-aggregators send a
 * tick's sums before that tick's watermark), then apply in label order, so each result covers
 * exactly its interval whatever the arrival order. Definition changes split intervals (deltas are
 * labelled by them), so each new user is checked for SRM against the weights (and the holdout
 * against the {@code holdout_pct}) in force when exposed. Deltas carry the phase of their users'
 * first exposure; the totals keep the phases apart ({@code ResultsTotals.phased}) and the
 * calculator combines them.
 *
 * <p>State: the totals, the memory of the last result, deltas not yet due, the definition history.
 * An experiment stopped for longer than its longest attribution window (plus a tick) is cleared.
 */
public class ExperimentResultsFunction extends KeyedCoProcessFunction<String, StatsDelta, DefinitionVersion, ResultRecord> {
    private static final long serialVersionUID = 1L;

    public static final String RESULTS = "liftstreamResults";

    private final ResultsOptions.Settings settings;

    private transient ValueState<ExperimentState> state;
    private transient MapState<Long, ResultsTotals> pending;
    private transient ValueState<DefinitionHistory> history;
    private transient ParsedDefinitions parsed;
    private transient Counter results;
    private transient LongCounter resultsTotal;

    public ExperimentResultsFunction(ResultsOptions.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("experiment", TypeInformation.of(ExperimentState.class)));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, TypeInformation.of(ResultsTotals.class)));
        history = getRuntimeContext().getState(new ValueStateDescriptor<>("definitions", TypeInformation.of(DefinitionHistory.class)));
        parsed = new ParsedDefinitions();
        results = getRuntimeContext().getMetricGroup().counter(RESULTS);
        resultsTotal = getRuntimeContext().getLongCounter(RESULTS);
    }

    @Override
    public void processElement1(StatsDelta d, Context ctx, Collector<ResultRecord> out) throws Exception {
        ExperimentState st = state.value();
        if (st == null) {
            st = new ExperimentState();
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }
        st.maxTime = Math.max(st.maxTime, d.maxTime);
        state.update(st);
        long label = Math.max(d.label, st.lastPoint);
        ResultsTotals batch = pending.get(label);
        if (batch == null) {
            batch = new ResultsTotals();
        }
        String group = ResultsTotals.phased(d.group, d.phase);
        if (d.users != 0) {
            batch.addUsers(group, d.users);
            if (d.allocationPhase != d.phase) {
                if (st.memory.phaseAllocation == null) {
                    st.memory.phaseAllocation = new java.util.HashMap<>();
                }
                st.memory.phaseAllocation.put(d.phase, d.allocationPhase);
                state.update(st);
            }
        }
        batch.conflicts += d.conflicts;
        if (d.metric != null) {
            batch.addMetric(group, d.metric, d.sum, d.sumSquares);
            if (d.preSum != 0 || d.preSumSquares != 0 || d.sumProduct != 0) {
                batch.addCovariate(group, d.metric, d.preSum, d.preSumSquares, d.sumProduct);
            }
        }
        pending.put(label, batch);
        ctx.timerService().registerEventTimeTimer(settings.nextTick(label));
    }

    @Override
    public void processElement2(DefinitionVersion v, Context ctx, Collector<ResultRecord> out) throws Exception {
        DefinitionHistory h = history.value();
        if (h == null) {
            h = new DefinitionHistory();
        }
        long watermark = ctx.timerService().currentWatermark();
        DefinitionVersion version = v.effective <= watermark ? new DefinitionVersion(v.experimentId, watermark + 1, v.json) : v;
        DefinitionVersion before = h.at(version.effective);
        version.allocation = UserResultsFunction.allocation(parsed, version);
        h.add(version);
        history.update(h);
        if (version.effective == Long.MIN_VALUE) {
            return;
        }
        ExperimentStatus status = parsed.get(version).definition().status();
        if (before != null && parsed.get(before).definition().status() != status) {
            ctx.timerService().registerEventTimeTimer(settings.ceilTick(version.effective));
        }
        if (status == ExperimentStatus.STOPPED) {
            ctx.timerService().registerEventTimeTimer(
                    settings.nextTick(version.effective + parsed.get(version).maxWindowMillis()));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ResultRecord> out) throws Exception {
        ExperimentState st = state.value();
        DefinitionHistory h = history.value();
        if (st == null || h == null) {
            return;
        }
        for (long point : statusChanges(h, st.lastPoint, timestamp)) {
            applyBefore(point, st, h);
            if (!st.totals.users.isEmpty()) {
                emit(point, h.at(point), st, ctx, out);
            }
            st.lastPoint = point;
        }
        if (timestamp == Long.MAX_VALUE) {
            applyBefore(Long.MAX_VALUE, st, h);
            if (st.maxTime != Long.MIN_VALUE) {
                emit(Math.max(st.lastAsOf, st.maxTime + 1), h.at(Long.MAX_VALUE), st, ctx, out);
            }
            state.update(st);
            return;
        }
        applyBefore(timestamp, st, h);
        if (st.dirty) {
            emit(timestamp, h.at(timestamp), st, ctx, out);
        }
        st.lastPoint = Math.max(st.lastPoint, timestamp);
        h.prune(st.lastPoint);
        // At the end of a bounded input (watermark at its maximum) keep the state for the final result.
        if (expired(h, timestamp) && pending.isEmpty() && ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
            state.clear();
            pending.clear();
            history.clear();
            ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
            return;
        }
        state.update(st);
        history.update(h);
    }

    /** Times in (after, until] at which a version changes the status of the one before it. */
    private List<Long> statusChanges(DefinitionHistory h, long after, long until) {
        List<Long> points = new ArrayList<>();
        DefinitionVersion previous = null;
        for (DefinitionVersion v : h.versions) {
            if (previous != null && v.effective > after && v.effective <= until && v.effective != Long.MIN_VALUE
                    && parsed.get(previous).definition().status() != parsed.get(v).definition().status()
                    && (points.isEmpty() || points.get(points.size() - 1) != v.effective)) {
                points.add(v.effective);
            }
            previous = v;
        }
        return points;
    }

    /** Applies, in label order, the pending deltas labelled before {@code point}. */
    private void applyBefore(long point, ExperimentState st, DefinitionHistory h) throws Exception {
        List<Long> labels = new ArrayList<>();
        for (Long label : pending.keys()) {
            if (label < point) {
                labels.add(label);
            }
        }
        Collections.sort(labels);
        for (long label : labels) {
            ResultsTotals batch = pending.get(label);
            DefinitionVersion version = h.at(label);
            if (version != null) {
                ExperimentDefinition d = parsed.get(version).definition();
                String[] arms = ResultsCalculator.armNames(d);
                double[] weights = ResultsCalculator.expectedWeights(d);
                for (var e : new TreeMap<>(batch.users).entrySet()) {
                    String group = ResultsTotals.groupOf(e.getKey());
                    boolean heldOut = group.equals(ResultsTotals.HOLDOUT);
                    if (!heldOut) {
                        SrmEpochs.addUsers(st.memory, arms, weights, group.substring("arm:".length()), e.getValue());
                    }
                    SrmEpochs.addHoldoutUsers(st.memory, d.holdoutPct(), heldOut, e.getValue());
                }
            }
            st.totals.add(batch);
            pending.remove(label);
            st.dirty = true;
        }
    }

    private void emit(long asOf, DefinitionVersion version, ExperimentState st, OnTimerContext ctx,
            Collector<ResultRecord> out) {
        if (version == null || st.maxTime == Long.MIN_VALUE) {
            return;
        }
        ExperimentDefinition d = parsed.get(version).definition();
        ExperimentResult r = ResultsCalculator.compute(d, st.totals, st.memory);
        st.sequence++;
        st.lastAsOf = asOf;
        st.dirty = false;
        out.collect(new ResultRecord(ctx.getCurrentKey(), asOf, st.sequence,
                ResultsJson.write(ctx.getCurrentKey(), asOf, st.sequence, d, r)));
        results.inc();
        resultsTotal.add(1);
    }

    /** Stopped since at least its longest attribution window before {@code now}. */
    private boolean expired(DefinitionHistory h, long now) {
        DefinitionVersion current = h.at(now);
        if (current == null || current.effective == Long.MIN_VALUE) {
            return false;
        }
        ParsedDefinitions.Parsed p = parsed.get(current);
        return p.definition().status() == ExperimentStatus.STOPPED && now > current.effective + p.maxWindowMillis();
    }
}
