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
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
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
 * <p>The keyed side runs through {@link UserScope}: the operator buffers items on the heap until
 * event time passes them ({@link #runItems}), keeps the user's {@link UserProfile} (its only keyed
 * state) behind a write-back cache, and fires one wake-up timer per user ({@link #wakeUp}) at the
 * earlier of the next reward window's end and the profile's expiry ({@code state-retention} after the
 * user's last item, never before the last window ends; consent, suppression and erasure are durable
 * facts that never expire, so a profile of facts alone has no timer). Windows end and activity
 * expires lazily: when the user's next items run or the timer fires, whichever comes first, with the
 * same result as at their own instant (nothing else of the user happened in between). Broadcast
 * state: the definition
 * and posterior histories and the loop's marker. Operator state: the pending epochs (union list, so a
 * rescaled job keeps a superset; they include every open reward window's end) and the unflushed
 * reward deltas.
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
    public static final String[] KEYED_STATES = {GatedDecisionOperator.PROFILE_STATE};

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
    private static final long NONE = UserProfile.NONE;

    private final DecisionSettings settings;
    private final PosteriorEpochs epochs;
    /** Simulation only (the demo); null in production. */
    private final ResponseModel responses;

    /** Epochs that may hold buffered items (a superset after restore). */
    private transient TreeSet<Long> pendingEpochs;
    /** The epoch last added to {@link #pendingEpochs} and still in it, or Long.MIN_VALUE. */
    private transient long lastNotedEpoch = Long.MIN_VALUE;
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

    /** Users per subtask whose profile the operator keeps on the heap. */
    int profileCacheCapacity() {
        return settings.profileCache;
    }

    @Override
    public void open(OpenContext openContext) {
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

    /**
     * What the keyed logic touches for the current user, provided by {@link GatedDecisionOperator}
     * (which sets the key, buffers items and owns the profile cache and the wake-up timers).
     */
    interface UserScope {
        /** The current user's profile, or null when there is none. */
        UserProfile profile() throws Exception;

        /** Replaces the current user's profile (null: clears it). */
        void store(UserProfile p) throws Exception;

        void registerWakeUp(long t) throws Exception;

        void deleteWakeUp(long t) throws Exception;

        /** Buffers a later item of the current user (a simulated response). */
        void enqueue(UserItem item);

        ReadOnlyBroadcastState<String, DefinitionHistory> definitions();

        ReadOnlyBroadcastState<String, PosteriorHistory> posteriors();

        void emit(DecisionRecord r);

        <X> void output(OutputTag<X> tag, X value);
    }

    @Override
    public void processElement(UserItem item, ReadOnlyContext ctx, Collector<DecisionRecord> out) {
        throw new UnsupportedOperationException("items are buffered and run by " + GatedDecisionOperator.class.getSimpleName());
    }

    /** Notes that an item at {@code t} waits in a buffer (for the loop protocol's progress). */
    void itemPending(long t) {
        notePendingEpoch(epochs.epoch(t));
    }

    /** Adds an epoch to {@link #pendingEpochs}; most items fall in the epoch of the one before. */
    private void notePendingEpoch(long epoch) {
        if (epoch != lastNotedEpoch) {
            pendingEpochs.add(epoch);
            lastNotedEpoch = epoch;
        }
    }

    /**
     * Runs the current user's items at {@code t} (all of them, any order: they are sorted here).
     * First brings the user's profile to just before {@code t}: reward windows that ended before
     * {@code t} close, and a profile due to expire before {@code t} is dropped (at {@code t} itself the
     * items win: they keep it).
     */
    void runItems(long t, List<UserItem> items, UserScope s) throws Exception {
        UserProfile p = catchUp(s.profile(), t - 1);
        if (p == null) {
            p = new UserProfile();
        }
        if (items.size() > 1) {
            items.sort(BY_KIND); // stable
        }
        for (UserItem item : items) {
            p = process(item, p, s);
        }
        if (p.hasActivity()) {
            // state-retention after the user's last item or the end of their last reward window
            // (rewarded or not), whichever is later
            p.dueAt = Math.max(p.dueAt, Math.max(t, p.lastDeadline()) + settings.stateRetention.toMillis());
        } else {
            p.dueAt = NONE; // durable facts alone never expire
        }
        save(p, t, s);
    }

    /**
     * The current user's wake-up timer fired at {@code t}, with event time at {@code now} ≥ t: every
     * item up to {@code now} has run, so the profile is brought to {@code now} (windows closed,
     * expiry applied) and the next wake-up set.
     */
    void wakeUp(long t, long now, UserScope s) throws Exception {
        UserProfile p = s.profile();
        if (p == null) {
            return; // cleared since the timer was set
        }
        if (p.wakeAt == t) {
            p.wakeAt = NONE;
        }
        UserProfile caught = catchUp(p, now);
        if (caught == null) {
            release(p, now, s);
            s.store(null);
            return;
        }
        save(caught, now, s);
    }

    /**
     * The profile at the end of {@code through}: exposures whose window ended by then close as
     * failures (in order of their window's end), and a profile due by then loses its activity and
     * keeps only its durable facts (null when it has none). Keeps the wake-up timer's time, which
     * stays registered.
     */
    private UserProfile catchUp(UserProfile p, long through) {
        if (p == null) {
            return null;
        }
        if (!p.exposures.isEmpty()) {
            List<UserProfile.Exposure> ended = null;
            for (Iterator<UserProfile.Exposure> it = p.exposures.iterator(); it.hasNext(); ) {
                UserProfile.Exposure e = it.next();
                if (e.deadline <= through) {
                    if (ended == null) {
                        ended = new ArrayList<>(2);
                    }
                    ended.add(e);
                    it.remove();
                }
            }
            if (ended != null) {
                ended.sort(Comparator.comparingLong(e -> e.deadline)); // stable: then in order of exposure
                for (UserProfile.Exposure e : ended) {
                    observe(e.experimentId, e.arm, e.deadline, 0.0);
                }
            }
        }
        if (p.dueAt != NONE && p.dueAt <= through) {
            expiredUsers.inc();
            UserProfile fresh = p.factsOnly(); // consent, suppression and erasure are not retention's to drop
            fresh.wakeAt = p.wakeAt;
            return fresh.isEmpty() && fresh.wakeAt == NONE ? null : fresh;
        }
        return p;
    }

    /**
     * Saves the profile at event time {@code now} (or clears it when empty), and keeps exactly one
     * wake-up timer at the earlier of its next window end and its due time: moved earlier when needed,
     * never later (a timer that fires early re-arms itself), and none once the profile is empty or
     * holds only durable facts (nothing of it ever falls due). A timer at or before {@code now} fires
     * in this same advance of event time and re-arms from the profile then.
     */
    private void save(UserProfile p, long now, UserScope s) throws Exception {
        if (p.isEmpty()) {
            release(p, now, s);
            s.store(null);
            return;
        }
        long next = Math.min(p.dueAt == NONE ? Long.MAX_VALUE : p.dueAt, p.firstDeadline());
        if (next == Long.MAX_VALUE) {
            release(p, now, s);
            p.wakeAt = NONE;
            s.store(p);
            return;
        }
        if (p.wakeAt == NONE || (p.wakeAt > now && next < p.wakeAt)) {
            if (p.wakeAt != NONE) {
                s.deleteWakeUp(p.wakeAt);
            }
            s.registerWakeUp(next);
            p.wakeAt = next;
        }
        s.store(p);
    }

    /** Deletes the profile's timer unless it fires in this advance anyway. */
    private static void release(UserProfile p, long now, UserScope s) throws Exception {
        if (p.wakeAt != NONE && p.wakeAt > now) {
            s.deleteWakeUp(p.wakeAt);
        }
    }

    private UserProfile process(UserItem item, UserProfile p, UserScope s) throws Exception {
        switch (item.kind) {
            case UserItem.CONTROL:
                return control(item, p);
            case UserItem.OUTCOME:
                attribute(item, p);
                if (item.respondsTo != null) {
                    s.output(SIMULATED_OUTCOMES, item);
                }
                return p;
            case UserItem.REQUEST:
                decide(item, item.experimentId, p, s);
                return p;
            case UserItem.TRIGGER:
                List<String> experiments = experimentsForTrigger(item.trigger, item.timestamp, s);
                if (experiments.isEmpty()) {
                    unmatchedTriggers.inc();
                }
                for (String experimentId : experiments) {
                    decide(item, experimentId, p, s);
                }
                return p;
            default:
                throw new IllegalStateException("unknown item kind " + item.kind);
        }
    }

    /**
     * Applies a control event. Consent and suppression set durable facts (kept until the next
     * change, whatever the retention); on an erased user they change nothing, since an erasure keeps
     * only "do not process this id" and is final (a person who comes back gets a new id).
     */
    private UserProfile control(UserItem item, UserProfile p) {
        switch (item.control) {
            case "consent":
                if (!p.erased) {
                    p.optedOut = "opt_out".equals(item.status);
                }
                return p;
            case "suppression":
                if (!p.erased) {
                    p.suppressed = "add".equals(item.status);
                }
                return p;
            case "delete_user":
                deletedUsers.inc();
                return deleteUser(p);
            default:
                return p;
        }
    }

    /**
     * Forgets the user as of now: the profile (flags, assignments, exposures and their reward windows,
     * caps) and its retention, keeping one fact only: the id is erased, so every later request is
     * answered untreated with reason {@code consent} and nothing about the user is stored again. The
     * wake-up timer is kept in the fresh profile, so saving it deletes the timer.
     */
    private static UserProfile deleteUser(UserProfile p) {
        UserProfile fresh = UserProfile.erasedProfile();
        fresh.wakeAt = p.wakeAt;
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

    private void observe(String experimentId, String arm, long at, double value) {
        rewards.inc();
        deltas.computeIfAbsent(new DeltaKey(epochs.epoch(at), experimentId, arm), k -> new RewardTally()).add(value);
    }

    private void decide(UserItem request, String experimentId, UserProfile p, UserScope s) throws Exception {
        long t = request.timestamp;
        DecisionRecord r = new DecisionRecord();
        r.decisionId = DecisionIds.decisionId(request.requestId, experimentId);
        r.requestId = request.requestId;
        r.userId = request.userId;
        r.experimentId = experimentId;
        r.timestamp = t;
        decisions.inc();

        DefinitionHistory history = s.definitions().get(experimentId);
        DefinitionHistory.Version version = history == null ? null : history.at(t);
        if (version == null || version.isRemoved()) {
            r.reason = DecisionReason.UNKNOWN_EXPERIMENT.wireName;
            r.propensity = 1.0;
            s.emit(r);
            return;
        }
        ExperimentDecider decider = decider(version.json);
        ExperimentDefinition d = decider.definition();
        UserProfile.Assignment sticky = p.assignment(experimentId);
        FrequencyCap cap = d.frequencyCap();
        int treatments = cap == null ? 0 : p.treatmentsAfter(experimentId, t - cap.per().toMillis());
        UserSignals signals = new UserSignals(p.refusesProcessing(), p.suppressed, sticky == null ? null : sticky.arm,
                sticky == null ? 0 : sticky.propensity, treatments);
        DecisionOutcome o = decider.decide(request.userId, signals, r.decisionId,
                () -> posteriors(s, experimentId, version, decider, t));

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
            e.experimentId = experimentId;
            e.arm = o.inHoldout() ? null : o.arm();
            e.at = t;
            e.deadline = t + reward.window().toMillis();
            e.rewardEvent = reward.event();
            e.rewardValue = reward.value();
            p.exposures.add(e);
            notePendingEpoch(epochs.epoch(e.deadline)); // its failure is observed then, if no reward comes first
        }
        r.arm = o.arm();
        r.inHoldout = o.inHoldout();
        r.policy = d.policy().wireName;
        r.propensity = o.propensity();
        r.reason = o.reason().wireName;
        r.experimentVersion = version.number();
        if (responses != null && reward != null) {
            scheduleResponse(r, reward, s);
        }
        s.emit(r);
    }

    /** Simulation only: the user's response to {@code r}, queued as an outcome of the same user. */
    private void scheduleResponse(DecisionRecord r, RewardSpec reward, UserScope s) {
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
        s.enqueue(outcome);
    }

    private ExperimentDecider decider(String json) {
        ExperimentDecider d = deciders.get(json);
        if (d == null) {
            d = new ExperimentDecider(ExperimentDefinitionJson.parse(json), settings.globalHoldoutPct);
            deciders.put(json, d);
        }
        return d;
    }

    private ArmPosteriors posteriors(UserScope s, String experimentId, DefinitionHistory.Version version,
            ExperimentDecider decider, long t) {
        try {
            PosteriorHistory h = s.posteriors().get(experimentId);
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

    private List<String> experimentsForTrigger(String trigger, long t, UserScope s) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, DefinitionHistory> e : s.definitions().immutableEntries()) {
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
                h.add(effectiveAt(item.effectiveAt, watermark), item.definitionJson);
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

    /**
     * When a definition version takes effect: at its timestamp, or, when event time has already
     * passed that (a change written live, behind the requests), at once, the next instant: what was
     * decided stays decided. The results job does the same, so both jobs see a change at one time.
     * Untimed versions are in force from the beginning.
     */
    static long effectiveAt(long timestamp, long watermark) {
        if (timestamp == DecisionLine.UNTIMED || watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE || timestamp > watermark) {
            return timestamp;
        }
        return watermark + 1;
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
            if (pendingEpochs.pollFirst() == lastNotedEpoch) {
                lastNotedEpoch = Long.MIN_VALUE;
            }
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
        lastNotedEpoch = Long.MIN_VALUE;
        marker = Long.MIN_VALUE; // transient: the field's initializer does not run on deserialization
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
        @Override
        public int compareTo(DeltaKey o) {
            int c = Long.compare(epoch, o.epoch);
            if (c == 0) {
                c = experimentId.compareTo(o.experimentId);
            }
            if (c == 0 && !java.util.Objects.equals(arm, o.arm)) {
                c = arm == null ? -1 : o.arm == null ? 1 : arm.compareTo(o.arm);
            }
            return c;
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
