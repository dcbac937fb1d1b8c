package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;
import io.liftstream.state.ValueStateStore;
import io.liftstream.state.WriteBackCache;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The four triggers as one keyed operator: it orders each user's events in event time once and feeds
 * them to the state machines of the enabled triggers, cart_abandoned ({@link CartAbandonedMachine}),
 * checkout_abandoned ({@link CheckoutAbandonedMachine}), browse_abandoned ({@link
 * BrowseAbandonedMachine}) and engagement_spike ({@link EngagementSpikeMachine}).
 *
 * <p>Ordering follows Flink's event-time {@code CepOperator}, so the machines give the same triggers,
 * and the same {@code detected_at}, as the CEP patterns they replace: an event later than the watermark
 * waits in a buffer; when the watermark passes buffered events, they are fed in time order (ties in
 * arrival order) to the machines that read them, each machine advancing to the event's timestamp
 * first, and then every machine advances to the watermark. The machines' own deadlines (a silence, a
 * window) wake the user through a single outstanding keyed timer ({@link TriggerProgress#wakeAt}),
 * moved forward when it fires, not one per event.
 *
 * <p><b>Why an operator and not a {@code KeyedProcessFunction}.</b> Events wait for the watermark in a
 * buffer on the heap, shared by all users of the subtask and ordered by time, rather than in keyed
 * state with a timer per event: the operator sees the watermark itself and drains what it passed. On
 * RocksDB an event then costs one read and one write of its user's progress (batched per user and
 * watermark), instead of a list append, a timer write, a timer delete, two reads and two writes. The
 * buffer holds at most the events between the watermark and the newest event (the out-of-orderness
 * bound's worth while the watermark moves; more if an idle input holds it back). It reaches state only
 * at checkpoints: {@link #snapshotState} writes it to union operator state, and on restore each subtask
 * keeps the events of the key groups it now owns, so rescaling works.
 *
 * <p>The progress of recently active users stays on the heap between events ({@link WriteBackCache},
 * {@code liftstream.triggers.progress-cache} users per subtask): a user's burst of events costs one
 * read of the state and one write, at eviction or at the next checkpoint, which writes every change
 * before keyed state is snapshotted.
 *
 * <p>Keyed state per user: {@link TriggerProgress}, cleared when every machine is idle (after the
 * longest of the spike window, the browse, cart and checkout timeouts and the cart retention since the
 * user's last event, at the latest), and at most one timer.
 */
public class KeyedTriggersOperator extends AbstractStreamOperator<TriggerRecord>
        implements OneInputStreamOperator<ShopperEvent, TriggerRecord>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    private static final long NONE = OrderedTrigger.NONE;

    /** Events at or below this operator's watermark, with it. */
    public static final OutputTag<LateEvent> LATE_EVENTS = new OutputTag<>("trigger-late-events", TypeInformation.of(LateEvent.class));
    /** Metric and accumulator: the events of {@link #LATE_EVENTS}. */
    public static final String LATE = "liftstreamTriggerLateEvents";
    private static final Comparator<PendingEvent> BY_TIME_THEN_ARRIVAL =
            Comparator.<PendingEvent>comparingLong(p -> p.event.timestamp).thenComparingLong(p -> p.arrival);

    /** The progress of every machine for one user; null where a machine has nothing pending. A Flink POJO. */
    public static class TriggerProgress {
        public CartAbandonedMachine.CartProgress cart;
        public CheckoutAbandonedMachine.CheckoutProgress checkout;
        public BrowseAbandonedMachine.BrowseRun browse;
        public EngagementSpikeMachine.SpikeProgress spike;
        /** The outstanding wake-up timer, or {@link OrderedTrigger#NONE}. */
        public long wakeAt = NONE;

        public TriggerProgress() {}
    }

    /** The enabled triggers' machines, each with where its progress lives. */
    private final List<Slot<?>> slots = new ArrayList<>();

    private final int cacheCapacity;
    private transient ValueState<TriggerProgress> progress;
    private transient WriteBackCache<String, TriggerProgress> cache;
    private transient ListState<PendingEvent> pendingAtCheckpoint;
    private transient InternalTimerService<VoidNamespace> wakeTimers;
    private transient TimestampedCollector<TriggerRecord> out;
    private transient PriorityQueue<PendingEvent> pending;
    private transient long arrivals;
    private transient Map<String, List<BufferedEvent>> dueByUser;
    private transient Counter lateEvents;
    private transient LongCounter lateTotal;

    /** The machines of the enabled triggers; at least one must be enabled. */
    public KeyedTriggersOperator(TriggerSettings settings) {
        if (settings.isEnabled(TriggerType.CART_ABANDONED)) {
            slots.add(new Slot<>(new CartAbandonedMachine(settings), p -> p.cart, (p, v) -> p.cart = v));
        }
        if (settings.isEnabled(TriggerType.CHECKOUT_ABANDONED)) {
            slots.add(new Slot<>(new CheckoutAbandonedMachine(settings), p -> p.checkout, (p, v) -> p.checkout = v));
        }
        if (settings.isEnabled(TriggerType.BROWSE_ABANDONED)) {
            slots.add(new Slot<>(new BrowseAbandonedMachine(settings), p -> p.browse, (p, v) -> p.browse = v));
        }
        if (settings.isEnabled(TriggerType.ENGAGEMENT_SPIKE)) {
            slots.add(new Slot<>(new EngagementSpikeMachine(settings), p -> p.spike, (p, v) -> p.spike = v));
        }
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("no trigger is enabled");
        }
        this.cacheCapacity = settings.progressCache;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pending = new PriorityQueue<>(BY_TIME_THEN_ARRIVAL);
        dueByUser = new LinkedHashMap<>();
        pendingAtCheckpoint = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("trigger-pending", PendingEvent.class));
        if (context.isRestored()) {
            TaskInfo task = getRuntimeContext().getTaskInfo();
            int me = task.getIndexOfThisSubtask();
            // Written in time-then-arrival order; a user's events all come from one subtask's list.
            for (PendingEvent p : pendingAtCheckpoint.get()) {
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
                        p.user, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks()) == me) {
                    pending.add(new PendingEvent(p.user, arrivals++, p.event));
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>("trigger-progress", TriggerProgress.class));
        cache = new WriteBackCache<>(cacheCapacity, new ValueStateStore<>(progress, this));
        wakeTimers = getInternalTimerService("trigger-wake", VoidNamespaceSerializer.INSTANCE, this);
        out = new TimestampedCollector<>(output);
        lateEvents = getRuntimeContext().getMetricGroup().counter(LATE);
        lateTotal = getRuntimeContext().getLongCounter(LATE);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // Keyed state is snapshotted after this method, so it holds every change. The cache starts
        // empty again: on the heap backend a value written to state is the cached object itself,
        // and only reads through the state (copy-on-write during a snapshot) may change it from now.
        cache.flush();
        List<PendingEvent> ordered = new ArrayList<>(pending);
        ordered.sort(BY_TIME_THEN_ARRIVAL);
        pendingAtCheckpoint.update(ordered);
    }

    @Override
    public void processElement(StreamRecord<ShopperEvent> element) {
        ShopperEvent event = element.getValue();
        // The job routes events late for their own input before keying, but this operator's watermark
        // is the minimum over all input subtasks, minus those that were idle: an input that comes back
        // from idleness can deliver an event on time for itself and at or below this watermark. The
        // machines have moved past it, so it is late: counted and published, never silently dropped.
        long watermark = wakeTimers.currentWatermark();
        if (event.timestamp <= watermark) {
            lateEvents.inc();
            lateTotal.add(1);
            output.collect(LATE_EVENTS, new StreamRecord<>(new LateEvent(event, watermark), element.getTimestamp()));
            return;
        }
        if (anyReads(event.type)) {
            pending.add(new PendingEvent((String) getCurrentKey(), arrivals++, BufferedEvent.of(event)));
        }
    }

    /**
     * Feeds the buffered events the watermark passed, user by user, then lets the timer service fire
     * the wake-ups it passed (which find those users already advanced to the watermark).
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long now = mark.getTimestamp();
        if (!pending.isEmpty() && pending.peek().event.timestamp <= now) {
            Map<String, List<BufferedEvent>> due = dueByUser; // reused: a watermark per event on files
            while (!pending.isEmpty() && pending.peek().event.timestamp <= now) {
                PendingEvent p = pending.poll();
                due.computeIfAbsent(p.user, u -> new ArrayList<>(2)).add(p.event);
            }
            for (Map.Entry<String, List<BufferedEvent>> user : due.entrySet()) {
                setCurrentKey(user.getKey());
                step(user.getKey(), user.getValue(), now, NONE);
            }
            due.clear();
        }
        super.processWatermark(mark);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        step(timer.getKey(), List.of(), wakeTimers.currentWatermark(), timer.getTimestamp());
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        throw new UnsupportedOperationException("the trigger machines use event time only");
    }

    /**
     * Brings the current user to the watermark {@code now}: feeds {@code due} (in time order) and
     * advances every machine to {@code now}; {@code firedTimer} is the wake-up being served, or NONE.
     */
    private void step(String user, List<BufferedEvent> due, long now, long firedTimer) throws Exception {
        TriggerProgress p = cache.get(user);
        if (p == null) {
            p = new TriggerProgress();
        }
        if (p.wakeAt != NONE && (p.wakeAt <= now || firedTimer >= p.wakeAt)) {
            p.wakeAt = NONE; // it fires during this watermark, or just did
        }
        out.setAbsoluteTimestamp(now);
        for (BufferedEvent b : due) {
            // A machine advances only on the events it reads (and on the watermark), as a CEP operator
            // fed only those events would: so detected_at is the same as the CEP pattern's.
            for (Slot<?> slot : slots) {
                slot.feed(p, b, user, out);
            }
        }
        boolean pendingWork = false;
        long deadline = NONE;
        for (Slot<?> slot : slots) {
            slot.advance(p, now, user, out);
            long next = slot.forgetIfIdleElseDeadline(p);
            if (next != IDLE) {
                pendingWork = true;
                deadline = earliest(deadline, next);
            }
        }
        if (!pendingWork) {
            cache.put(user, null);
            return;
        }
        if (deadline != NONE && (p.wakeAt == NONE || deadline < p.wakeAt)) {
            wakeTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, deadline);
            p.wakeAt = deadline;
        }
        cache.put(user, p);
    }

    /** Events waiting for the watermark on this subtask. */
    int pendingEvents() {
        return pending.size();
    }

    private boolean anyReads(EventType type) {
        for (Slot<?> slot : slots) {
            if (slot.machine.reads(type)) {
                return true;
            }
        }
        return false;
    }

    /** Marks a machine with nothing pending in {@link Slot#forgetIfIdleElseDeadline}. */
    private static final long IDLE = Long.MAX_VALUE;

    /** A machine and the field of {@link TriggerProgress} that holds its progress. */
    private static final class Slot<P> implements Serializable {
        private static final long serialVersionUID = 1L;

        final OrderedTrigger<P> machine;
        private final SerializableFunction<TriggerProgress, P> get;
        private final SerializableBiConsumer<TriggerProgress, P> set;

        Slot(OrderedTrigger<P> machine, SerializableFunction<TriggerProgress, P> get,
                SerializableBiConsumer<TriggerProgress, P> set) {
            this.machine = machine;
            this.get = get;
            this.set = set;
        }

        /** Feeds the event if the machine reads it, after advancing the machine to the event's time. */
        void feed(TriggerProgress p, BufferedEvent b, String user, Collector<TriggerRecord> out) {
            if (!machine.reads(b.type)) {
                return;
            }
            P progress = get.apply(p);
            if (progress == null) {
                progress = machine.start();
                set.accept(p, progress);
            } else {
                machine.advance(progress, b.timestamp, user, out);
            }
            machine.process(progress, b, user, out);
        }

        void advance(TriggerProgress p, long now, String user, Collector<TriggerRecord> out) {
            P progress = get.apply(p);
            if (progress != null) {
                machine.advance(progress, now, user, out);
            }
        }

        /** Drops the progress if idle and returns {@link #IDLE}; else returns its next deadline. */
        long forgetIfIdleElseDeadline(TriggerProgress p) {
            P progress = get.apply(p);
            if (progress == null || machine.isIdle(progress)) {
                set.accept(p, null);
                return IDLE;
            }
            return machine.nextDeadline(progress);
        }
    }

    private interface SerializableFunction<A, B> extends Function<A, B>, Serializable {}

    private interface SerializableBiConsumer<A, B> extends BiConsumer<A, B>, Serializable {}

    private static long earliest(long a, long b) {
        if (a == NONE) {
            return b;
        }
        return b == NONE ? a : Math.min(a, b);
    }
}
