package io.liftstream.jobs.results;

import io.liftstream.experiments.assignment.Arm;
import io.liftstream.experiments.assignment.ExperimentStatus;
import io.liftstream.experiments.results.CupedDelta;
import io.liftstream.experiments.results.MetricSpec;
import io.liftstream.experiments.results.PreExposureRing;
import io.liftstream.experiments.results.PreExposureWindow;
import io.liftstream.experiments.results.Phases;
import io.liftstream.experiments.results.ResultsTotals;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-user half of the results job, keyed by user id: which arm of each experiment a user is in,
 * and the user's value of each metric; every change leaves as a {@link StatsDelta} (O(1) per event
 * and experiment of the user).
 *
 * <ul>
 *   <li><b>Event-time order.</b> Exposures and outcomes wait in a buffer until the watermark passes
 *       them, then apply in time order (exposures before outcomes of the same millisecond; exposures
 *       of the same millisecond by decision id), so the result depends on the input alone, not on
 *       how the two streams interleave.</li>
 *   <li><b>Exposures.</b> The first exposure to an experiment fixes the user's group (an arm, or the
 *       holdout) and phase (the allocation in force then, see {@code Phases}; for an adaptive policy
 *       also the {@code bandit-period} of the exposure) and starts the attribution windows: one more
 *       user in that group and phase; the user's outcomes count in that phase for good. A later exposure
 *       to another group moves nobody; the user is counted once as a conflict. An exposure to an
 *       experiment without a definition in force, or to an arm it does not have, is counted
 *       ({@value #UNKNOWN_EXPERIMENT}, {@value #UNKNOWN_ARM}) and ignored.</li>
 *   <li><b>Outcomes.</b> An event counts for each experiment of the user having a metric on that
 *       event whose window [first exposure, first exposure + window) contains it: the value becomes
 *       1 (conversion) or grows by the property; the group's Σx and Σx² change by the difference.</li>
 *   <li><b>Definitions</b> come as a broadcast with the time they take effect; the version in force
 *       at an input's time applies to it.</li>
 *   <li><b>Retention.</b> A user's state is checked {@code retention-check-interval} after the first
 *       exposure, then at doubling ages (1, 2, 4, 8… intervals): experiments that stopped more than
 *       their longest attribution window before are dropped, and the user with the last of them;
 *       the buffer empties as the watermark passes, so users never exposed leave no state beyond
 *       their CUPED rings (next item).</li>
 *   <li><b>Ratio metrics.</b> A metric with a {@code denominator} keeps the user's numerator and
 *       denominator (under a derived key); each change moves Σm, Σm², Σd, Σd² and Σm·d.</li>
 *   <li><b>CUPED.</b> For every distinct (event, value, lookback) among the metrics with a
 *       {@code cuped} lookback in force, each user keeps a {@link PreExposureRing} of outcome totals
 *       by UTC day (or hour) — O(lookback buckets) doubles however many events — fed by every
 *       matching outcome. At first exposure the ring's total over the lookback before the exposure's
 *       bucket ({@link PreExposureWindow}) becomes the user's covariate ({@link UserExposure#preTotals}):
 *       the group's Σp, Σp² grow, and every later change of the metric moves Σx·p too
 *       ({@link CupedDelta}). A ring is dropped by an event-time timer once nothing in it can count
 *       for an exposure at the watermark or later ({@link PreExposureRing#expired}): a user never
 *       exposed keeps state at most one lookback (plus a bucket) after their last matching outcome.</li>
 * </ul>
 */
public class UserResultsFunction extends KeyedBroadcastProcessFunction<String, ResultsInput, DefinitionVersion, StatsDelta> {
    private static final long serialVersionUID = 1L;

    public static final String UNKNOWN_EXPERIMENT = "liftstreamResultsUnknownExperiment";
    public static final String UNKNOWN_ARM = "liftstreamResultsUnknownArm";

    /** Broadcast state: the definition history of every experiment, by experiment id. */
    public static final MapStateDescriptor<String, DefinitionHistory> DEFINITIONS =
            new MapStateDescriptor<>("definitions", Types.STRING, TypeInformation.of(DefinitionHistory.class));

    /** Exposures first, then by decision id: a deterministic order within one millisecond. */
    private static final Comparator<ResultsInput> ORDER = Comparator.comparingLong((ResultsInput i) -> i.timestamp)
            .thenComparing(i -> i.exposure ? 0 : 1)
            .thenComparing(i -> i.decisionId == null ? "" : i.decisionId)
            .thenComparing(i -> i.experimentId == null ? "" : i.experimentId)
            .thenComparing(i -> i.arm == null ? "" : i.arm);

    private final ResultsOptions.Settings settings;

    private transient ListState<ResultsInput> pending;
    private transient MapState<String, UserExposure> exposures;
    private transient ValueState<Long> retentionCheck;
    /** CUPED: the user's pre-exposure ring per {@link #ringKey (event, value, lookback)}. */
    private transient MapState<String, PreExposureRing> rings;
    private transient ParsedDefinitions parsed;
    /**
     * Whether any definition held has a CUPED metric: null until asked after a definition arrived
     * (or a restore). Outcomes skip the rings entirely without one, so experiments without CUPED
     * cost no scan of every definition per event.
     */
    private transient Boolean anyCuped;
    private transient Counter unknownExperiment;
    private transient Counter unknownArm;
    private transient LongCounter unknownExperimentTotal;
    private transient LongCounter unknownArmTotal;

    public UserResultsFunction(ResultsOptions.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", TypeInformation.of(ResultsInput.class)));
        exposures = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("exposures", Types.STRING, TypeInformation.of(UserExposure.class)));
        retentionCheck = getRuntimeContext().getState(new ValueStateDescriptor<>("retention-check", Types.LONG));
        rings = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pre-exposure-rings", Types.STRING, TypeInformation.of(PreExposureRing.class)));
        parsed = new ParsedDefinitions();
        unknownExperiment = getRuntimeContext().getMetricGroup().counter(UNKNOWN_EXPERIMENT);
        unknownArm = getRuntimeContext().getMetricGroup().counter(UNKNOWN_ARM);
        unknownExperimentTotal = getRuntimeContext().getLongCounter(UNKNOWN_EXPERIMENT);
        unknownArmTotal = getRuntimeContext().getLongCounter(UNKNOWN_ARM);
    }

    @Override
    public void processBroadcastElement(DefinitionVersion v, Context ctx, Collector<StatsDelta> out) throws Exception {
        BroadcastState<String, DefinitionHistory> state = ctx.getBroadcastState(DEFINITIONS);
        DefinitionHistory history = state.get(v.experimentId);
        if (history == null) {
            history = new DefinitionHistory();
        }
        long watermark = ctx.currentWatermark();
        DefinitionVersion version = v;
        if (v.effective <= watermark) {
            // Arrived after its time (a live change behind the stream): it takes effect now.
            version = new DefinitionVersion(v.experimentId, watermark + 1, v.json);
        }
        version.allocation = allocation(parsed, version);
        history.add(version);
        history.prune(watermark);
        state.put(v.experimentId, history);
        anyCuped = null;
    }

    @Override
    public void processElement(ResultsInput input, ReadOnlyContext ctx, Collector<StatsDelta> out) throws Exception {
        if (input.timestamp <= ctx.timerService().currentWatermark()) {
            // Cannot happen behind the splitters (late inputs are dead-lettered); apply at once if it does.
            apply(input, ctx, out);
            return;
        }
        pending.add(input);
        ctx.timerService().registerEventTimeTimer(input.timestamp);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<StatsDelta> out) throws Exception {
        List<ResultsInput> due = new ArrayList<>();
        List<ResultsInput> later = new ArrayList<>();
        Iterable<ResultsInput> all = pending.get();
        if (all != null) {
            for (ResultsInput in : all) {
                (in.timestamp <= timestamp ? due : later).add(in);
            }
        }
        if (!due.isEmpty()) {
            due.sort(ORDER);
            for (ResultsInput in : due) {
                apply(in, ctx, out);
            }
            if (later.isEmpty()) {
                pending.clear();
            } else {
                pending.update(later);
            }
        }
        Long check = retentionCheck.value();
        if (check != null && check <= timestamp) {
            retain(timestamp, ctx);
        }
        dropExpiredRings(timestamp);
    }

    /** The key of a pre-exposure ring: what it sums (event and value) and over how long. */
    static String ringKey(MetricSpec m) {
        return m.event() + '\u0001' + m.value() + '\u0001' + m.cupedLookback();
    }

    private static PreExposureWindow windowOf(String ringKey) {
        return PreExposureWindow.of(Duration.parse(ringKey.substring(ringKey.lastIndexOf('\u0001') + 1)));
    }

    /** Drops the rings of which nothing can count for an exposure at {@code now} or later. */
    private void dropExpiredRings(long now) throws Exception {
        if (rings.isEmpty()) {
            return;
        }
        List<String> drop = new ArrayList<>();
        for (Map.Entry<String, PreExposureRing> r : rings.entries()) {
            if (r.getValue().expired(windowOf(r.getKey()), now)) {
                drop.add(r.getKey());
            }
        }
        for (String k : drop) {
            rings.remove(k);
        }
    }

    private boolean anyCuped(ReadOnlyBroadcastState<String, DefinitionHistory> definitions) throws Exception {
        if (anyCuped == null) {
            boolean found = false;
            for (Map.Entry<String, DefinitionHistory> d : definitions.immutableEntries()) {
                for (DefinitionVersion v : d.getValue().versions) {
                    for (MetricSpec m : parsed.get(v).metrics()) {
                        found |= m.cupedLookback() != null;
                    }
                }
            }
            anyCuped = found;
        }
        return anyCuped;
    }

    /**
     * Feeds the outcome into a ring per distinct (event, value, lookback) of the CUPED metrics on
     * its event in force at its time, and asks for a timer when the ring will have expired.
     */
    private void feedRings(ResultsInput in, ReadOnlyBroadcastState<String, DefinitionHistory> definitions,
            ReadOnlyContext ctx) throws Exception {
        TreeMap<String, MetricSpec> keys = null;
        for (Map.Entry<String, DefinitionHistory> d : definitions.immutableEntries()) {
            DefinitionVersion version = d.getValue().at(in.timestamp);
            if (version == null) {
                continue;
            }
            for (MetricSpec m : parsed.get(version).metrics()) {
                if (m.cupedLookback() != null && m.event().equals(in.event)) {
                    if (keys == null) {
                        keys = new TreeMap<>();
                    }
                    keys.putIfAbsent(ringKey(m), m);
                }
            }
        }
        if (keys == null) {
            return;
        }
        for (Map.Entry<String, MetricSpec> k : keys.entrySet()) {
            MetricSpec m = k.getValue();
            Double property = m.isConversion() || in.properties == null ? null : in.properties.get(m.value());
            if (!m.isConversion() && (property == null || !Double.isFinite(property))) {
                continue;
            }
            PreExposureWindow w = m.preExposureWindow();
            PreExposureRing ring = rings.get(k.getKey());
            if (ring == null) {
                ring = w.newRing();
            }
            ring.add(w, in.timestamp, m.contribution(property));
            rings.put(k.getKey(), ring);
            // Expired once the watermark reaches the bucket after the window of its newest bucket.
            ctx.timerService().registerEventTimeTimer((ring.newest + w.buckets() + 1) * w.bucketMillis());
        }
    }

    private void apply(ResultsInput in, ReadOnlyContext ctx, Collector<StatsDelta> out) throws Exception {
        ReadOnlyBroadcastState<String, DefinitionHistory> definitions = ctx.getBroadcastState(DEFINITIONS);
        if (in.exposure) {
            expose(in, definitions.get(in.experimentId), ctx, out);
        } else {
            outcome(in, definitions, out);
            if (anyCuped(definitions)) {
                feedRings(in, definitions, ctx);
            }
        }
    }

    private void expose(ResultsInput in, DefinitionHistory history, ReadOnlyContext ctx, Collector<StatsDelta> out)
            throws Exception {
        DefinitionVersion version = history == null ? null : history.at(in.timestamp);
        if (version == null) {
            unknownExperiment.inc();
            unknownExperimentTotal.add(1);
            return;
        }
        ParsedDefinitions.Parsed p = parsed.get(version);
        if (!in.holdout && p.definition().arms().stream().map(Arm::name).noneMatch(in.arm::equals)) {
            unknownArm.inc();
            unknownArmTotal.add(1);
            return;
        }
        String group = ResultsTotals.group(in.arm, in.holdout);
        long label = label(history, in.timestamp);
        UserExposure e = exposures.get(in.experimentId);
        if (e == null) {
            long allocationPhase = history.phaseStartAt(in.timestamp);
            long phase = Phases.phaseOf(p.definition(), allocationPhase, in.timestamp, settings.banditPeriodMillis());
            UserExposure exposure = new UserExposure(group, in.timestamp, phase);
            out.collect(StatsDelta.users(in.experimentId, label, group, phase, allocationPhase, in.timestamp));
            for (MetricSpec m : p.metrics()) {
                if (m.cupedLookback() == null) {
                    continue;
                }
                PreExposureRing ring = rings.get(ringKey(m));
                double rawPre = ring == null ? 0.0 : ring.total(m.preExposureWindow(), in.timestamp);
                if (rawPre != 0.0) {
                    exposure.preTotals.put(m.name(), rawPre);
                }
                CupedDelta c = CupedDelta.forExposure(m, rawPre);
                if (c.preSum() != 0.0) {
                    out.collect(StatsDelta.cuped(in.experimentId, label, group, phase, m.name(), c, in.timestamp));
                }
            }
            exposures.put(in.experimentId, exposure);
            if (retentionCheck.value() == null) {
                long check = in.timestamp + settings.retentionCheckMillis();
                retentionCheck.update(check);
                ctx.timerService().registerEventTimeTimer(check);
            }
        } else if (!e.group.equals(group) && !e.conflicted) {
            e.conflicted = true;
            exposures.put(in.experimentId, e);
            out.collect(StatsDelta.conflict(in.experimentId, label, e.group, e.phaseOrFirst(), in.timestamp));
        }
    }

    private void outcome(ResultsInput in, ReadOnlyBroadcastState<String, DefinitionHistory> definitions,
            Collector<StatsDelta> out) throws Exception {
        List<Map.Entry<String, UserExposure>> changed = null;
        for (Map.Entry<String, UserExposure> entry : exposures.entries()) {
            DefinitionHistory history = definitions.get(entry.getKey());
            DefinitionVersion version = history == null ? null : history.at(in.timestamp);
            if (version == null) {
                continue;
            }
            UserExposure e = entry.getValue();
            boolean touched = false;
            for (MetricSpec m : parsed.get(version).metrics()) {
                if (m.isRatio()) {
                    touched |= ratioOutcome(in, m, e, entry.getKey(), label(history, in.timestamp), out);
                    continue;
                }
                if (!m.event().equals(in.event) || !m.inWindow(e.firstExposure, in.timestamp)) {
                    continue;
                }
                double before = e.values.getOrDefault(m.name(), 0.0);
                double after = m.next(before, m.isConversion() || in.properties == null ? null : in.properties.get(m.value()));
                if (after != before) {
                    e.values.put(m.name(), after); // raw; the sums get the capped value (MetricSpec.capped)
                    touched = true;
                    double cappedBefore = m.capped(before);
                    double cappedAfter = m.capped(after);
                    if (cappedAfter != cappedBefore && m.cupedLookback() != null) {
                        double rawPre = e.preTotals == null ? 0.0 : e.preTotals.getOrDefault(m.name(), 0.0);
                        out.collect(StatsDelta.cuped(entry.getKey(), label(history, in.timestamp), e.group,
                                e.phaseOrFirst(), m.name(), CupedDelta.forOutcome(m, before, after, rawPre), in.timestamp));
                    } else if (cappedAfter != cappedBefore) {
                        out.collect(StatsDelta.metric(entry.getKey(), label(history, in.timestamp), e.group, e.phaseOrFirst(), m.name(),
                                cappedAfter - cappedBefore, cappedAfter * cappedAfter - cappedBefore * cappedBefore,
                                in.timestamp));
                    }
                }
            }
            if (touched) {
                if (changed == null) {
                    changed = new ArrayList<>();
                }
                changed.add(Map.entry(entry.getKey(), e));
            }
        }
        if (changed != null) {
            for (Map.Entry<String, UserExposure> c : changed) {
                exposures.put(c.getKey(), c.getValue());
            }
        }
    }

    /**
     * A ratio metric's outcome: the numerator m (this metric's value) and/or the denominator d (kept
     * under {@link MetricSpec#denominatorKey}) of the user move, and one delta carries the change of
     * Σm, Σm² (m capped as the metric is) and of Σd, Σd², Σm·d (in the covariate fields).
     */
    private static boolean ratioOutcome(ResultsInput in, MetricSpec m, UserExposure e, String experiment, long label,
            Collector<StatsDelta> out) {
        boolean num = m.event().equals(in.event);
        boolean den = m.denominator().event().equals(in.event);
        if ((!num && !den) || !m.inWindow(e.firstExposure, in.timestamp)) {
            return false;
        }
        double x0 = e.values.getOrDefault(m.name(), 0.0);
        double x1 = num ? m.next(x0, m.isConversion() || in.properties == null ? null : in.properties.get(m.value())) : x0;
        double d0 = e.values.getOrDefault(m.denominatorKey(), 0.0);
        double d1 = den ? m.denominator().next(d0, m.denominator().isConversion() || in.properties == null ? null
                : in.properties.get(m.denominator().value())) : d0;
        if (x1 == x0 && d1 == d0) {
            return false;
        }
        e.values.put(m.name(), x1);
        e.values.put(m.denominatorKey(), d1);
        double c0 = m.capped(x0);
        double c1 = m.capped(x1);
        StatsDelta d = StatsDelta.metric(experiment, label, e.group, e.phaseOrFirst(), m.name(), c1 - c0, c1 * c1 - c0 * c0,
                in.timestamp);
        d.preSum = d1 - d0;
        d.preSumSquares = d1 * d1 - d0 * d0;
        d.sumProduct = c1 * d1 - c0 * d0;
        out.collect(d);
        return true;
    }

    /** Drops experiments stopped more than their longest window ago; checks again later while any remain. */
    private void retain(long now, OnTimerContext ctx) throws Exception {
        ReadOnlyBroadcastState<String, DefinitionHistory> definitions = ctx.getBroadcastState(DEFINITIONS);
        List<String> drop = new ArrayList<>();
        boolean remaining = false;
        long earliest = now;
        for (Map.Entry<String, UserExposure> entry : exposures.entries()) {
            earliest = Math.min(earliest, entry.getValue().firstExposure);
            DefinitionHistory history = definitions.get(entry.getKey());
            if (history != null && droppable(history, entry.getValue(), now)) {
                drop.add(entry.getKey());
            } else {
                remaining = true;
            }
        }
        for (String experiment : drop) {
            exposures.remove(experiment);
        }
        if (remaining && ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
            // (At the end of a bounded input nothing can change any more: no further checks.)
            // Back off: checking a long-running experiment's users every interval would cost
            // O(users x duration); doubling the wait costs O(users x log duration), and the state
            // of a stopped experiment then lingers at most about as long as the user had been in it.
            long wait = Math.max(settings.retentionCheckMillis(), now - earliest);
            long next = now > Long.MAX_VALUE - wait ? Long.MAX_VALUE - 1 : now + wait;
            retentionCheck.update(next);
            ctx.timerService().registerEventTimeTimer(next);
        } else {
            retentionCheck.clear();
        }
    }

    /**
     * Whether the user's membership can go: the experiment is stopped at {@code now}, and the user's
     * longest attribution window ended after it stopped (so no outcome can count any more).
     */
    private boolean droppable(DefinitionHistory history, UserExposure e, long now) {
        DefinitionVersion current = history.at(now);
        if (current == null) {
            return false;
        }
        ParsedDefinitions.Parsed p = parsed.get(current);
        if (p.definition().status() != ExperimentStatus.STOPPED) {
            return false;
        }
        long stoppedSince = current.effective;
        for (int i = history.versions.indexOf(current) - 1; i >= 0; i--) {
            DefinitionVersion v = history.versions.get(i);
            if (parsed.get(v).definition().status() != ExperimentStatus.STOPPED) {
                break;
            }
            stoppedSince = v.effective;
        }
        return now - Math.max(stoppedSince, e.firstExposure) >= p.maxWindowMillis();
    }

    /** The allocation key of a version ({@link Phases#allocationKey}); null when it cannot be read. */
    static String allocation(ParsedDefinitions parsed, DefinitionVersion v) {
        try {
            return Phases.allocationKey(parsed.get(v).definition());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The start of the emission interval of time {@code t}: the last cadence tick or definition change at or before it. */
    private long label(DefinitionHistory history, long t) {
        return Math.max(settings.floorTick(t), history.lastChangeAtOrBefore(t));
    }
}
