package io.liftstream.jobs.decisions;

import io.liftstream.experiments.decision.PosteriorEpochs;
import io.liftstream.jobs.serde.RejectedLine;
import io.liftstream.state.ValueStateStore;
import io.liftstream.state.WriteBackCache;

import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

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

    /** The keyed state: one {@link UserProfile} per user. */
    public static final String PROFILE_STATE = "profile";
    /** The timer service {@link CoBroadcastWithKeyedOperator} creates; the wake-ups use it. */
    private static final String TIMERS = "user-timers";

    private final PosteriorEpochs epochs;
    private final int cacheCapacity;

    private transient long itemsWatermark;
    private transient long broadcastWatermark;
    private transient boolean broadcastIdle;
    private transient long fired;
    /** {@link #fired} at the last checkpoint, one entry per subtask: {subtask, parallelism, fired}. */
    private transient ListState<long[]> firedAtCheckpoint;
    private transient long restoredFired;
    private transient long reported;

    private transient PriorityQueue<Waiting> waiting;
    private transient long arrivals;
    private transient ListState<UserItem> waitingAtCheckpoint;
    private transient Map<String, List<UserItem>> dueByUser;
    private transient ValueState<UserProfile> profiles;
    private transient WriteBackCache<String, UserProfile> cache;
    private transient InternalTimerService<VoidNamespace> wakeUps;
    private transient Scope scope;

    public GatedDecisionOperator(DecisionFunction function) {
        super(function, List.of(DecisionFunction.DEFINITIONS, DecisionFunction.POSTERIORS, DecisionFunction.LOOP));
        this.epochs = function.epochs();
        this.cacheCapacity = function.profileCacheCapacity();
    }

    private DecisionFunction fn() {
        return (DecisionFunction) getUserFunction();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        waiting = new PriorityQueue<>();
        dueByUser = new LinkedHashMap<>();
        waitingAtCheckpoint = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("decide-waiting-items", Types.POJO(UserItem.class)));
        firedAtCheckpoint = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("decide-fired", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        restoredFired = context.isRestored() ? restoreFired(firedAtCheckpoint.get()) : Long.MIN_VALUE;
        if (context.isRestored()) {
            TaskInfo task = getRuntimeContext().getTaskInfo();
            int me = task.getIndexOfThisSubtask();
            // Written in time-then-arrival order; a user's items all come from one subtask's list.
            for (UserItem item : waitingAtCheckpoint.get()) {
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
                        item.userId, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks()) == me) {
                    waiting.add(new Waiting(arrivals++, item));
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        itemsWatermark = Long.MIN_VALUE;
        broadcastWatermark = Long.MIN_VALUE;
        broadcastIdle = false;
        fired = restoredFired; // what is late after a restore is what was late before it
        reported = Long.MIN_VALUE;
        fn().restoreMarker(getOperatorStateBackend().getBroadcastState(DecisionFunction.LOOP));
        profiles = getRuntimeContext().getState(new ValueStateDescriptor<>(PROFILE_STATE, Types.POJO(UserProfile.class)));
        cache = new WriteBackCache<>(cacheCapacity, new ValueStateStore<>(profiles, this));
        wakeUps = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        scope = new Scope(getOperatorStateBackend().getBroadcastState(DecisionFunction.DEFINITIONS),
                getOperatorStateBackend().getBroadcastState(DecisionFunction.POSTERIORS));
        for (Waiting w : waiting) {
            fn().itemPending(w.item.timestamp);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // Keyed state is snapshotted after this method, so it holds every change. The cache starts
        // empty again: on the heap backend a value written to state is the cached object itself.
        cache.flush();
        List<Waiting> ordered = new ArrayList<>(waiting);
        ordered.sort(null);
        List<UserItem> items = new ArrayList<>(ordered.size());
        for (Waiting w : ordered) {
            items.add(w.item);
        }
        waitingAtCheckpoint.update(items);
        TaskInfo task = getRuntimeContext().getTaskInfo();
        firedAtCheckpoint.update(List.of(new long[] {task.getIndexOfThisSubtask(), task.getNumberOfParallelSubtasks(), fired}));
    }

    /** This subtask's {@link #fired} at the checkpoint; after a rescale the least advanced subtask's. */
    private long restoreFired(Iterable<long[]> entries) {
        TaskInfo task = getRuntimeContext().getTaskInfo();
        long min = Long.MAX_VALUE;
        boolean any = false;
        for (long[] e : entries) {
            if (e[0] == task.getIndexOfThisSubtask() && e[1] == task.getNumberOfParallelSubtasks()) {
                return e[2];
            }
            min = Math.min(min, e[2]);
            any = true;
        }
        return any ? min : Long.MIN_VALUE;
    }

    @Override
    public void processElement1(StreamRecord<UserItem> element) {
        UserItem item = element.getValue();
        if (item.timestamp <= fired && item.kind == UserItem.CONTROL && fired != Long.MAX_VALUE) {
            // A late control event (counted by its splitter): what happened at or before event time
            // has been decided and stays so; every item still waiting is after it, so running it
            // first, at the next instant (before the user's items there, by kind order), applies it
            // from its own timestamp on to everything not yet decided.
            item.timestamp = fired + 1;
        }
        if (item.timestamp <= fired) {
            // The splitters route lines late for their own stream to the dead letters before keying; an
            // item can still be at or below the gate (the minimum over the streams, after an idle input
            // came back): a dead letter, counted with the splitters' ones.
            getRuntimeContext().getLongCounter(DecisionSplitter.DEAD).add(1);
            output.collect(DecisionFunction.DEAD_LETTERS, new StreamRecord<>(RejectedLine.late(item.toString(), item.timestamp, fired)));
            return;
        }
        hold(item);
    }

    private void hold(UserItem item) {
        waiting.add(new Waiting(arrivals++, item));
        fn().itemPending(item.timestamp);
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

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        scope.at = timer.getTimestamp();
        fn().wakeUp(timer.getTimestamp(), wakeUps.currentWatermark(), scope);
    }

    /** Current event time of the function (for tests). */
    public long firedWatermark() {
        return fired;
    }

    /** Items waiting for event time on this subtask (for tests). */
    int waitingItems() {
        return waiting.size();
    }

    private void advance() throws Exception {
        DecisionFunction fn = fn();
        long f = Math.min(Math.min(itemsWatermark, broadcastIdle ? Long.MAX_VALUE : broadcastWatermark), fn.gateWatermark());
        if (f > fired) {
            fired = f;
            runItemsThrough(f);
            super.processWatermark(new Watermark(f)); // fires the wake-ups it passed
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

    /**
     * Runs the waiting items at or before {@code f}, instant by instant, each instant's users in
     * arrival order (a simulated response queued meanwhile runs in turn when it is due by {@code f}).
     */
    private void runItemsThrough(long f) throws Exception {
        DecisionFunction fn = fn();
        Map<String, List<UserItem>> due = dueByUser; // reused: a watermark per item on files
        while (!waiting.isEmpty() && waiting.peek().timestamp <= f) {
            long t = waiting.peek().timestamp;
            while (!waiting.isEmpty() && waiting.peek().timestamp == t) {
                UserItem item = waiting.poll().item;
                due.computeIfAbsent(item.userId, u -> new ArrayList<>(2)).add(item);
            }
            scope.at = t;
            for (Map.Entry<String, List<UserItem>> user : due.entrySet()) {
                setCurrentKey(user.getKey());
                fn.runItems(t, user.getValue(), scope);
            }
            due.clear();
        }
    }

    /** An item waiting for event time, with its arrival number; ordered by time, then arrival. */
    private static final class Waiting implements Comparable<Waiting> {
        final long arrival;
        final long timestamp;
        final UserItem item;

        Waiting(long arrival, UserItem item) {
            this.arrival = arrival;
            this.timestamp = item.timestamp;
            this.item = item;
        }

        @Override
        public int compareTo(Waiting o) {
            int byTime = Long.compare(timestamp, o.timestamp);
            return byTime != 0 ? byTime : Long.compare(arrival, o.arrival);
        }
    }

    /** The current user's profile, timer, buffer, broadcast state and outputs, at event time {@link #at}. */
    private final class Scope implements DecisionFunction.UserScope {
        private final ReadOnlyBroadcastState<String, DefinitionHistory> definitions;
        private final ReadOnlyBroadcastState<String, PosteriorHistory> posteriors;
        /** The timestamp of what is output. */
        long at;

        Scope(ReadOnlyBroadcastState<String, DefinitionHistory> definitions, ReadOnlyBroadcastState<String, PosteriorHistory> posteriors) {
            this.definitions = definitions;
            this.posteriors = posteriors;
        }

        @Override
        public UserProfile profile() throws Exception {
            return cache.get((String) getCurrentKey());
        }

        @Override
        public void store(UserProfile p) throws Exception {
            cache.put((String) getCurrentKey(), p);
        }

        @Override
        public void registerWakeUp(long t) {
            wakeUps.registerEventTimeTimer(VoidNamespace.INSTANCE, t);
        }

        @Override
        public void deleteWakeUp(long t) {
            wakeUps.deleteEventTimeTimer(VoidNamespace.INSTANCE, t);
        }

        @Override
        public void enqueue(UserItem item) {
            hold(item);
        }

        @Override
        public ReadOnlyBroadcastState<String, DefinitionHistory> definitions() {
            return definitions;
        }

        @Override
        public ReadOnlyBroadcastState<String, PosteriorHistory> posteriors() {
            return posteriors;
        }

        @Override
        public void emit(DecisionRecord r) {
            output.collect(new StreamRecord<>(r, at));
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.collect(tag, new StreamRecord<>(value, at));
        }
    }
}
