package io.liftstream.jobs.decisions;

import io.liftstream.experiments.assignment.ExperimentDefinition;
import io.liftstream.experiments.assignment.FrequencyCap;
import io.liftstream.experiments.assignment.RewardSpec;
import io.liftstream.experiments.bandit.ArmPosteriors;
import io.liftstream.experiments.decision.DecisionIds;
import io.liftstream.experiments.decision.DecisionOutcome;
import io.liftstream.experiments.decision.DecisionReason;
import io.liftstream.experiments.decision.ExperimentDecider;
import io.liftstream.experiments.decision.PosteriorEpochs;
import io.liftstream.experiments.decision.RewardTally;
import io.liftstream.experiments.decision.UserSignals;
import io.liftstream.jobs.experiments.ExperimentDefinitionJson;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The decision logic, keyed by user: every request, trigger, outcome and control event of a user is
 * buffered until event time passes it, then processed in timestamp order (ties in {@link UserItem}
 * kind order) against the experiment definition and posterior snapshot in force at its own
 * timestamp. The maths is {@link ExperimentDecider}'s; this class keeps the state and the clock.
 *
 * <p>Event time here is not the plain watermark: {@link GatedDecisionOperator} holds it back until
 * the posterior loop has published every reward a decision may read (see DESIGN.md, "The decision
 * job"). The function's part of that protocol: it remembers which epochs still hold buffered items
 * ({@link #firstPendingEpoch()}), sums the rewards it observes per experiment, arm and epoch, and
 * hands complete epochs to the operator ({@link #flushDeltas}).
 *
 * <p>Keyed state (uids: the operator's {@code decide}): {@code pending} (items by timestamp, each with
 * one event-time timer) and {@code profile} ({@link UserProfile}); a retention timer clears the
 * profile {@code state-retention} after the user's last item. Broadcast state: the definition and
 * posterior histories and the loop's marker. Operator state: the pending epochs (union list, so a
 * rescaled job keeps a superset) and the unflushed reward deltas.
 */
public class DecisionFunction extends KeyedBroadcastProcessFunction<String, UserItem, BroadcastItem, DecisionRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, DefinitionHistory> DEFINITIONS =
            new MapStateDescriptor<>("experiment-definitions", Types.STRING, Types.POJO(DefinitionHistory.class));
    public static final MapStateDescriptor<String, PosteriorHistory> POSTERIORS =
            new MapStateDescriptor<>("experiment-posteriors", Types.STRING, Types.POJO(PosteriorHistory.class));
    public static final MapStateDescriptor<String, Long> LOOP =
            new MapStateDescriptor<>("posterior-loop", Types.STRING, Types.LONG);
    public static final String MARKER_KEY = "marker";

    /** Reward deltas and progress, for the {@link PosteriorAggregator}. */
    public static final OutputTag<LoopRecord> LOOP_OUT = new OutputTag<>("posterior-loop", Types.POJO(LoopRecord.class));
    public static final OutputTag<RejectedLine> DEAD_LETTERS = new OutputTag<>("decide-dead-letters", Types.POJO(RejectedLine.class));
    /** Outcomes a {@link ResponseModel} simulated, when event time reaches them (only with a model). */
    public static final OutputTag<UserItem> SIMULATED_OUTCOMES = new OutputTag<>("simulated-outcomes", Types.POJO(UserItem.class));

    /** The keyed states, for tests. */
    public static final String[] KEYED_STATES = {"pending", "profile"};

    public static final String DECISIONS = "liftstreamDecisions";
    public static final String REWARDS = "liftstreamRewards";
    public static final String UNMATCHED_TRIGGERS = "liftstreamTriggersWithoutExperiment";
    public static final String DELETED_USERS = "liftstreamDeletedUsers";
    public static final String EXPIRED_USERS = "liftstreamExpiredUsers";

    /**
     * Kind order; requests and triggers then by id, since equal instants may come from two streams
     * (--requests and --triggers) whose interleaving is not fixed. Other kinds come from one stream
     * each and keep arrival order (the sort is stable).
     */
    private static final Comparator<UserItem> BY_KIND = Comparator.<UserItem>comparingInt(i -> i.kind)
            .thenComparing(i -> i.kind == UserItem.REQUEST || i.kind == UserItem.TRIGGER ? i.requestId : "");
    private static final int CACHE = 256;

    private final DecisionSettings settings;
    private final PosteriorEpochs epochs;
    /** Simulation only (the demo); null in production. */
    private final ResponseModel responses;

    private transient MapState<Long, ItemList> pending;
    private transient ValueState<UserProfile> profile;

    /** Epochs that may hold buffered items (a superset after restore). */
    private transient TreeSet<Long> pendingEpochs;
    /** Unflushed reward sums by (epoch, experiment, arm). */
    private transient TreeMap<DeltaKey, RewardTally> deltas;
    private transient ListState<Long> pendingEpochsState;
    private transient ListState<LoopRecord> deltasState;
    /** The loop's marker G (Long.MIN_VALUE before the first). */
    transient long marker = Long.MIN_VALUE;

    private transient Map<String, ExperimentDecider> deciders;
    private transient Map<String, ArmPosteriors> posteriorCache;
    private transient Counter decisions;
    private transient Counter rewards;
    private transient Counter unmatchedTriggers;
    private transient Counter deletedUsers;
    private transient Counter expiredUsers;

    public DecisionFunction(DecisionSettings settings) {
        this(settings, null);
    }

    /** With simulated users who respond to their decisions ({@code responses} null: none, as in production). */
    public DecisionFunction(DecisionSettings settings, ResponseModel responses) {
        this.settings = settings;
        this.epochs = new PosteriorEpochs(settings.posteriorInterval);
        this.responses = responses;
    }

    public PosteriorEpochs epochs() {
        return epochs;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, Types.POJO(ItemList.class)));
        profile = getRuntimeContext().getState(new ValueStateDescriptor<>("profile", Types.POJO(UserProfile.class)));
        deciders = lru();
        posteriorCache = lru();
        decisions = getRuntimeContext().getMetricGroup().counter(DECISIONS);
        rewards = getRuntimeContext().getMetricGroup().counter(REWARDS);
        unmatchedTriggers = getRuntimeContext().getMetricGroup().counter(UNMATCHED_TRIGGERS);
        deletedUsers = getRuntimeContext().getMetricGroup().counter(DELETED_USERS);
        expiredUsers = getRuntimeContext().getMetricGroup().counter(EXPIRED_USERS);
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE;
            }
        };
    }

    // ---------------------------------------------------------------- keyed side

    @Override
    public void processElement(UserItem item, ReadOnlyContext ctx, Collector<DecisionRecord> out) throws Exception {
        if (item.timestamp <= ctx.timerService().currentWatermark()) {
            // The splitters route late lines to the dead letters before keying; this is a safety net.
            ctx.output(DEAD_LETTERS, RejectedLine.late(item.toString(), item.timestamp, ctx.timerService().currentWatermark()));
            return;
        }
        enqueue(item, ctx);
    }

    private void enqueue(UserItem item, ReadOnlyContext ctx) throws Exception {
        ItemList list = pending.get(item.timestamp);
        if (list == null) {
            list = new ItemList();
            ctx.timerService().registerEventTimeTimer(item.timestamp);
        }
        list.items.add(item);
        pending.put(item.timestamp, list);
        pendingEpochs.add(epochs.epoch(item.timestamp));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DecisionRecord> out) throws Exception {
        UserProfile p = profile.value();
        if (p == null) {
            p = new UserProfile();
        }
        ItemList list = pending.get(timestamp);
        if (list != null) {
            pending.remove(timestamp);
            List<UserItem> items = new ArrayList<>(list.items);
            items.sort(BY_KIND); // stable
            for (UserItem item : items) {
                p = process(item, p, ctx, out);
            }
        } else if (p.expiryAt == timestamp) {
            if (p.dueAt > timestamp) {
                // Active since the timer was set: re-arm it at the due time (one timer write per
                // retention period instead of a delete and a register per item).
                ctx.timerService().registerEventTimeTimer(p.dueAt);
                p.expiryAt = p.dueAt;
                profile.update(p);
                return;
            }
            expiredUsers.inc();
            profile.clear();
            return;
        }
        store(p, timestamp, ctx);
    }

    /**
     * Saves the profile (or clears it when empty) with its due time; registers the retention timer
     * when there is none (or it has fired) or when the due time moved before it.
     */
    private void store(UserProfile p, long now, OnTimerContext ctx) throws Exception {
        long due = p.isEmpty() ? Long.MIN_VALUE
                : Math.max(now + settings.stateRetention.toMillis(), p.lastDeadline() + 1);
        p.dueAt = due;
        if (due == Long.MIN_VALUE) {
            release(p.expiryAt, ctx);
            p.expiryAt = Long.MIN_VALUE;
        } else if (p.expiryAt == Long.MIN_VALUE || p.expiryAt <= now || due < p.expiryAt) {
            release(p.expiryAt, ctx);
            ctx.timerService().registerEventTimeTimer(due);
            p.expiryAt = due;
        }
        if (p.isEmpty()) {
            profile.clear();
        } else {
            profile.update(p);
        }
    }

    /** Deletes the timer at {@code t} unless items still wait for it. */
    private void release(long t, OnTimerContext ctx) throws Exception {
        if (t != Long.MIN_VALUE && !pending.contains(t)) {
            ctx.timerService().deleteEventTimeTimer(t);
        }
    }

    private UserProfile process(UserItem item, UserProfile p, OnTimerContext ctx, Collector<DecisionRecord> out) throws Exception {
        switch (item.kind) {
            case UserItem.CONTROL:
                return control(item, p, ctx);
            case UserItem.OUTCOME:
                attribute(item, p);
                if (item.respondsTo != null) {
                    ctx.output(SIMULATED_OUTCOMES, item);
                }
                return p;
            case UserItem.REQUEST:
                decide(item, item.experimentId, p, ctx, out);
                return p;
            case UserItem.TRIGGER:
                List<String> experiments = experimentsForTrigger(item.trigger, item.timestamp, ctx);
                if (experiments.isEmpty()) {
                    unmatchedTriggers.inc();
                }
                for (String experimentId : experiments) {
                    decide(item, experimentId, p, ctx, out);
                }
                return p;
            case UserItem.DEADLINE:
                closeWindow(item, p);
                return p;
            default:
                throw new IllegalStateException("unknown item kind " + item.kind);
        }
    }

    private UserProfile control(UserItem item, UserProfile p, OnTimerContext ctx) throws Exception {
        switch (item.control) {
            case "consent":
                p.optedOut = "opt_out".equals(item.status);
                return p;
            case "suppression":
                p.suppressed = "add".equals(item.status);
                return p;
            case "delete_user":
                deletedUsers.inc();
                return deleteUser(p, ctx);
            default:
                return p;
        }
    }

    /**
     * Forgets the user as of now: the profile (flags, assignments, exposures, caps), the window-end
     * items and their timers, the retention timer. Items that arrive later, or already wait for a
     * later time, are new activity and are processed from a clean slate.
     */
    private UserProfile deleteUser(UserProfile p, OnTimerContext ctx) throws Exception {
        List<Map.Entry<Long, ItemList>> entries = new ArrayList<>();
        for (Map.Entry<Long, ItemList> e : pending.entries()) {
            entries.add(Map.entry(e.getKey(), e.getValue()));
        }
        Set<Long> touched = new HashSet<>();
        for (Map.Entry<Long, ItemList> e : entries) {
            ItemList list = e.getValue();
            if (list.items.removeIf(UserItem::isInternal)) {
                touched.add(e.getKey());
                if (list.items.isEmpty()) {
                    pending.remove(e.getKey());
                } else {
                    pending.put(e.getKey(), list);
                }
            }
        }
        UserProfile fresh = new UserProfile();
        for (long t : touched) {
            if (t != p.expiryAt) {
                release(t, ctx);
            }
        }
        release(p.expiryAt, ctx);
        profile.clear();
        return fresh;
    }

    private void attribute(UserItem outcome, UserProfile p) {
        Set<String> rewarded = new HashSet<>();
        for (Iterator<UserProfile.Exposure> it = p.exposures.iterator(); it.hasNext(); ) {
            UserProfile.Exposure e = it.next();
            if (rewarded.contains(e.experimentId) || !e.rewardEvent.equals(outcome.event)
                    || outcome.timestamp <= e.at || outcome.timestamp > e.deadline) {
                continue;
            }
            Double value = RewardSpec.CONVERSION.equals(e.rewardValue) ? Double.valueOf(1.0) : outcome.property(e.rewardValue);
            if (value == null) {
                continue; // this outcome carries no value for this reward
            }
            observe(e.experimentId, e.arm, outcome.timestamp, value);
            rewarded.add(e.experimentId);
            it.remove();
        }
    }

    private void closeWindow(UserItem deadline, UserProfile p) {
        for (Iterator<UserProfile.Exposure> it = p.exposures.iterator(); it.hasNext(); ) {
            UserProfile.Exposure e = it.next();
            if (e.decisionId.equals(deadline.exposureId)) {
                observe(e.experimentId, e.arm, deadline.timestamp, 0.0);
                it.remove();
                return;
            }
        }
    }

    private void observe(String experimentId, String arm, long at, double value) {
        rewards.inc();
        deltas.computeIfAbsent(new DeltaKey(epochs.epoch(at), experimentId, arm), k -> new RewardTally()).add(value);
    }

    private void decide(UserItem request, String experimentId, UserProfile p, OnTimerContext ctx, Collector<DecisionRecord> out)
            throws Exception {
        long t = request.timestamp;
        DecisionRecord r = new DecisionRecord();
        r.decisionId = DecisionIds.decisionId(request.requestId, experimentId);
        r.requestId = request.requestId;
        r.userId = request.userId;
        r.experimentId = experimentId;
        r.timestamp = t;
        decisions.inc();

        DefinitionHistory history = ctx.getBroadcastState(DEFINITIONS).get(experimentId);
        DefinitionHistory.Version version = history == null ? null : history.at(t);
        if (version == null || version.isRemoved()) {
            r.reason = DecisionReason.UNKNOWN_EXPERIMENT.wireName;
            r.propensity = 1.0;
            out.collect(r);
            return;
        }
        ExperimentDecider decider = decider(version.json);
        ExperimentDefinition d = decider.definition();
        UserProfile.Assignment sticky = p.assignment(experimentId);
        FrequencyCap cap = d.frequencyCap();
        int treatments = cap == null ? 0 : p.treatmentsAfter(experimentId, t - cap.per().toMillis());
        UserSignals signals = new UserSignals(p.optedOut, p.suppressed, sticky == null ? null : sticky.arm,
                sticky == null ? 0 : sticky.propensity, treatments);
        DecisionOutcome o = decider.decide(request.userId, signals, r.decisionId,
                () -> posteriors(ctx, experimentId, version, decider, t));

        if (o.reason() == DecisionReason.ASSIGNED) {
            p.assign(experimentId, o.arm(), o.propensity(), t);
        }
        if (o.reason().treated() && cap != null) {
            UserProfile.Treatment tr = new UserProfile.Treatment();
            tr.experimentId = experimentId;
            tr.at = t;
            p.treatments.add(tr);
        }
        RewardSpec reward = d.reward();
        if (reward != null && (o.reason().treated() || o.reason() == DecisionReason.HOLDOUT)) {
            UserProfile.Exposure e = new UserProfile.Exposure();
            e.decisionId = r.decisionId;
            e.experimentId = experimentId;
            e.arm = o.inHoldout() ? null : o.arm();
            e.at = t;
            e.deadline = t + reward.window().toMillis();
            e.rewardEvent = reward.event();
            e.rewardValue = reward.value();
            p.exposures.add(e);
            UserItem deadline = new UserItem();
            deadline.kind = UserItem.DEADLINE;
            deadline.userId = request.userId;
            deadline.timestamp = e.deadline;
            deadline.experimentId = experimentId;
            deadline.exposureId = e.decisionId;
            enqueue(deadline, ctx);
        }
        r.arm = o.arm();
        r.inHoldout = o.inHoldout();
        r.policy = d.policy().wireName;
        r.propensity = o.propensity();
        r.reason = o.reason().wireName;
        r.experimentVersion = version.number();
        if (responses != null && reward != null) {
            scheduleResponse(r, reward, ctx);
        }
        out.collect(r);
    }

    /** Simulation only: the user's response to {@code r}, queued as an outcome of the same user. */
    private void scheduleResponse(DecisionRecord r, RewardSpec reward, OnTimerContext ctx) throws Exception {
        ResponseModel.Response response = responses.respond(r, reward);
        if (response == null) {
            return;
        }
        if (response.at() <= r.timestamp || response.at() > r.timestamp + reward.window().toMillis()) {
            throw new IllegalStateException("a simulated response must fall within the reward window after the decision: "
                    + response + " for " + r.decisionId);
        }
        UserItem outcome = new UserItem();
        outcome.kind = UserItem.OUTCOME;
        outcome.userId = r.userId;
        outcome.timestamp = response.at();
        outcome.event = reward.event();
        outcome.revenue = response.revenue();
        outcome.respondsTo = r.decisionId;
        enqueue(outcome, ctx);
    }

    private ExperimentDecider decider(String json) {
        ExperimentDecider d = deciders.get(json);
        if (d == null) {
            d = new ExperimentDecider(ExperimentDefinitionJson.parse(json), settings.globalHoldoutPct);
            deciders.put(json, d);
        }
        return d;
    }

    private ArmPosteriors posteriors(ReadOnlyContext ctx, String experimentId, DefinitionHistory.Version version,
            ExperimentDecider decider, long t) {
        try {
            PosteriorHistory h = ctx.getBroadcastState(POSTERIORS).get(experimentId);
            PosteriorHistory.Point point = h == null ? null : h.at(epochs.start(t));
            String key = experimentId + '\u0000' + version.effectiveAt + '\u0000' + version.json.hashCode() + '\u0000'
                    + (point == null ? "none" : Long.toString(point.boundary));
            ArmPosteriors cached = posteriorCache.get(key);
            if (cached == null) {
                Map<String, RewardTally> byArm = new HashMap<>();
                if (point != null) {
                    for (ArmTally a : point.arms) {
                        if (a.arm != null) {
                            byArm.put(a.arm, a.tally);
                        }
                    }
                }
                cached = decider.posteriors(byArm);
                posteriorCache.put(key, cached);
            }
            return cached;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the posteriors of " + experimentId, e);
        }
    }

    private List<String> experimentsForTrigger(String trigger, long t, ReadOnlyContext ctx) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, DefinitionHistory> e : ctx.getBroadcastState(DEFINITIONS).immutableEntries()) {
            DefinitionHistory.Version v = e.getValue().at(t);
            if (v != null && !v.isRemoved() && trigger.equals(decider(v.json).definition().trigger())) {
                ids.add(e.getKey());
            }
        }
        ids.sort(null);
        return ids;
    }

    // ---------------------------------------------------------------- broadcast side

    @Override
    public void processBroadcastElement(BroadcastItem item, Context ctx, Collector<DecisionRecord> out) throws Exception {
        long watermark = ctx.currentWatermark();
        switch (item.kind) {
            case BroadcastItem.DEFINITION: {
                BroadcastState<String, DefinitionHistory> state = ctx.getBroadcastState(DEFINITIONS);
                DefinitionHistory h = state.get(item.experimentId);
                if (h == null) {
                    h = new DefinitionHistory();
                }
                h.add(item.effectiveAt, item.definitionJson);
                h.prune(watermark);
                state.put(item.experimentId, h);
                break;
            }
            case BroadcastItem.POSTERIOR: {
                BroadcastState<String, PosteriorHistory> state = ctx.getBroadcastState(POSTERIORS);
                PosteriorHistory h = state.get(item.experimentId);
                if (h == null) {
                    h = new PosteriorHistory();
                }
                h.add(item.boundary, item.arms);
                h.prune(nextEpochStart(watermark));
                state.put(item.experimentId, h);
                break;
            }
            case BroadcastItem.MARKER:
                marker = Math.max(marker, item.boundary);
                ctx.getBroadcastState(LOOP).put(MARKER_KEY, marker);
                pruneAll(ctx, watermark);
                break;
            default:
                break;
        }
    }

    private long nextEpochStart(long watermark) {
        return watermark == Long.MAX_VALUE || watermark == Long.MIN_VALUE ? watermark : epochs.start(watermark + 1);
    }

    private void pruneAll(Context ctx, long watermark) throws Exception {
        BroadcastState<String, DefinitionHistory> defs = ctx.getBroadcastState(DEFINITIONS);
        for (Map.Entry<String, DefinitionHistory> e : defs.entries()) {
            if (e.getValue().prune(watermark)) {
                defs.put(e.getKey(), e.getValue());
            }
        }
        BroadcastState<String, PosteriorHistory> posts = ctx.getBroadcastState(POSTERIORS);
        long limit = nextEpochStart(watermark);
        for (Map.Entry<String, PosteriorHistory> e : posts.entries()) {
            if (e.getValue().prune(limit)) {
                posts.put(e.getKey(), e.getValue());
            }
        }
    }

    // ---------------------------------------------------------------- the loop protocol (called by the operator)

    /**
     * The event-time ceiling the loop allows: items at t may run once the marker G ≥ epochStart(t),
     * i.e. up to G + Δ − 1.
     */
    long gateWatermark() {
        if (marker == Long.MIN_VALUE || marker == Long.MAX_VALUE) {
            return marker;
        }
        return marker + epochs.lengthMillis() - 1;
    }

    /** Forgets epochs whose every millisecond is at or before {@code watermark}. */
    void forgetEpochsThrough(long watermark) {
        while (!pendingEpochs.isEmpty() && (watermark == Long.MAX_VALUE || epochs.lastOf(pendingEpochs.first()) <= watermark)) {
            pendingEpochs.pollFirst();
        }
    }

    /** The earliest epoch that may still hold a buffered item, or null. */
    Long firstPendingEpoch() {
        return pendingEpochs.isEmpty() ? null : pendingEpochs.first();
    }

    /** Emits and forgets every reward delta of an epoch that ends at or before {@code bound}. */
    void flushDeltas(long bound, Consumer<LoopRecord> emit) {
        for (Iterator<Map.Entry<DeltaKey, RewardTally>> it = deltas.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<DeltaKey, RewardTally> e = it.next();
            if (bound != Long.MAX_VALUE && epochs.startOf(e.getKey().epoch + 1) > bound) {
                break; // sorted by epoch first
            }
            emit.accept(LoopRecord.delta(e.getKey().experimentId, e.getKey().arm, e.getKey().epoch, e.getValue()));
            it.remove();
        }
    }

    // ---------------------------------------------------------------- checkpoints

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pendingEpochsState.update(new ArrayList<>(pendingEpochs));
        List<LoopRecord> records = new ArrayList<>();
        deltas.forEach((k, v) -> records.add(LoopRecord.delta(k.experimentId, k.arm, k.epoch, v)));
        deltasState.update(records);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pendingEpochsState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("pending-epochs", Types.LONG));
        deltasState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("reward-deltas", Types.POJO(LoopRecord.class)));
        pendingEpochs = new TreeSet<>();
        deltas = new TreeMap<>();
        if (context.isRestored()) {
            for (Long e : pendingEpochsState.get()) {
                pendingEpochs.add(e);
            }
            for (LoopRecord r : deltasState.get()) {
                deltas.computeIfAbsent(new DeltaKey(r.epoch, r.experimentId, r.arm), k -> new RewardTally()).add(r.tally);
            }
        }
    }

    /** (epoch, experiment, arm) with the holdout group (null arm) first. */
    record DeltaKey(long epoch, String experimentId, String arm) implements Comparable<DeltaKey> {
        private static final Comparator<DeltaKey> ORDER = Comparator.comparingLong(DeltaKey::epoch)
                .thenComparing(DeltaKey::experimentId)
                .thenComparing(DeltaKey::arm, Comparator.nullsFirst(Comparator.naturalOrder()));

        @Override
        public int compareTo(DeltaKey o) {
            return ORDER.compare(this, o);
        }
    }

    /** For the operator's restore: the marker stored in broadcast state. */
    void restoreMarker(ReadOnlyBroadcastState<String, Long> loop) throws Exception {
        Long m = loop.get(MARKER_KEY);
        if (m != null) {
            marker = m;
        }
    }
}
