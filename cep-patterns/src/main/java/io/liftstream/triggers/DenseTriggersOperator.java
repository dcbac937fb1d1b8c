package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.TaskInfo;
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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One keyed operator for the triggers that read most of the stream, engagement_spike ({@link
 * EngagementSpikeMachine}) and browse_abandoned ({@link BrowseAbandonedMachine}): it orders each user's
 * events in event time once and feeds them to both state machines.
 *
 * <p>Ordering follows Flink's event-time {@code CepOperator}, so the machines give the same triggers,
 * and the same {@code detected_at}, as the CEP patterns they replace: an event later than the watermark
 * waits in a buffer; when the watermark passes buffered events, they are fed in time order (ties in
 * arrival order) to the machines that read them, each machine advancing to the event's timestamp
 * first, and then every machine advances to the watermark. The machines' own deadlines (a silence, a
 * window) wake the user through a single outstanding keyed timer ({@link DenseProgress#wakeAt}),
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
 * <p>Keyed state per user: {@link DenseProgress}, cleared when both machines are idle (a spike window
 * and a browse timeout after the user's last event at the latest), and at most one timer.
 */
public class DenseTriggersOperator extends AbstractStreamOperator<TriggerRecord>
        implements OneInputStreamOperator<ShopperEvent, TriggerRecord>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    private static final long NONE = OrderedTrigger.NONE;
    private static final Comparator<PendingEvent> BY_TIME_THEN_ARRIVAL =
            Comparator.<PendingEvent>comparingLong(p -> p.event.timestamp).thenComparingLong(p -> p.arrival);

    /** The progress of both machines for one user. A Flink POJO. */
    public static class DenseProgress {
        /** Null when the user has no engagement_spike progress (or the trigger is disabled). */
        public EngagementSpikeMachine.SpikeProgress spike;
        /** Null when the user has no open browsing run (or the trigger is disabled). */
        public BrowseAbandonedMachine.BrowseRun browse;
        /** The outstanding wake-up timer, or {@link OrderedTrigger#NONE}. */
        public long wakeAt = NONE;

        public DenseProgress() {}
    }

    /** Null when disabled. */
    private final EngagementSpikeMachine spike;
    private final BrowseAbandonedMachine browse;

    private transient ValueState<DenseProgress> progress;
    private transient ListState<PendingEvent> pendingAtCheckpoint;
    private transient InternalTimerService<VoidNamespace> wakeTimers;
    private transient TimestampedCollector<TriggerRecord> out;
    private transient PriorityQueue<PendingEvent> pending;
    private transient long arrivals;

    /** The machines of the enabled dense triggers; at least one must be enabled. */
    public DenseTriggersOperator(TriggerSettings settings) {
        this.spike = settings.isEnabled(TriggerType.ENGAGEMENT_SPIKE) ? new EngagementSpikeMachine(settings) : null;
        this.browse = settings.isEnabled(TriggerType.BROWSE_ABANDONED) ? new BrowseAbandonedMachine(settings) : null;
        if (spike == null && browse == null) {
            throw new IllegalArgumentException("neither engagement_spike nor browse_abandoned is enabled");
        }
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pending = new PriorityQueue<>(BY_TIME_THEN_ARRIVAL);
        pendingAtCheckpoint = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("dense-pending", PendingEvent.class));
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
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>("dense-progress", DenseProgress.class));
        wakeTimers = getInternalTimerService("dense-wake", VoidNamespaceSerializer.INSTANCE, this);
        out = new TimestampedCollector<>(output);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<PendingEvent> ordered = new ArrayList<>(pending);
        ordered.sort(BY_TIME_THEN_ARRIVAL);
        pendingAtCheckpoint.update(ordered);
    }

    @Override
    public void processElement(StreamRecord<ShopperEvent> element) {
        ShopperEvent event = element.getValue();
        // As in CepOperator, an event at or before the watermark is late and ignored. The job routes
        // late events to their own output before keying, so none arrives here.
        if (event.timestamp <= wakeTimers.currentWatermark()) {
            return;
        }
        if ((spike != null && spike.reads(event.type)) || (browse != null && browse.reads(event.type))) {
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
            Map<String, List<BufferedEvent>> due = new LinkedHashMap<>();
            while (!pending.isEmpty() && pending.peek().event.timestamp <= now) {
                PendingEvent p = pending.poll();
                due.computeIfAbsent(p.user, u -> new ArrayList<>(2)).add(p.event);
            }
            for (Map.Entry<String, List<BufferedEvent>> user : due.entrySet()) {
                setCurrentKey(user.getKey());
                step(user.getKey(), user.getValue(), now, NONE);
            }
        }
        super.processWatermark(mark);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        step(timer.getKey(), List.of(), wakeTimers.currentWatermark(), timer.getTimestamp());
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        throw new UnsupportedOperationException("dense triggers use event time only");
    }

    /**
     * Brings the current user to the watermark {@code now}: feeds {@code due} (in time order) and
     * advances every machine to {@code now}; {@code firedTimer} is the wake-up being served, or NONE.
     */
    private void step(String user, List<BufferedEvent> due, long now, long firedTimer) throws Exception {
        DenseProgress p = progress.value();
        if (p == null) {
            p = new DenseProgress();
        }
        if (p.wakeAt != NONE && (p.wakeAt <= now || firedTimer >= p.wakeAt)) {
            p.wakeAt = NONE; // it fires during this watermark, or just did
        }
        out.setAbsoluteTimestamp(now);
        for (BufferedEvent b : due) {
            feed(p, b, user, out);
        }
        advance(p, now, user, out);
        forgetIdle(p);

        if (p.spike == null && p.browse == null) {
            progress.clear();
            return;
        }
        // A machine's progress is non-null only when that machine exists and has something pending.
        long deadline = earliest(p.spike == null ? NONE : spike.nextDeadline(p.spike),
                p.browse == null ? NONE : browse.nextDeadline(p.browse));
        if (deadline != NONE && (p.wakeAt == NONE || deadline < p.wakeAt)) {
            wakeTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, deadline);
            p.wakeAt = deadline;
        }
        progress.update(p);
    }

    /** Events waiting for the watermark on this subtask. */
    int pendingEvents() {
        return pending.size();
    }

    private void advance(DenseProgress p, long now, String user, Collector<TriggerRecord> out) {
        if (p.spike != null) {
            spike.advance(p.spike, now, user, out);
        }
        if (p.browse != null) {
            browse.advance(p.browse, now, user, out);
        }
    }

    /**
     * Feeds an event to each machine that reads it, after advancing that machine to the event's time.
     * A machine advances only on the events it reads (and on the watermark), as a CEP operator that is
     * fed only those events would: so {@code detected_at} is the same as the CEP pattern's.
     */
    private void feed(DenseProgress p, BufferedEvent b, String user, Collector<TriggerRecord> out) {
        if (spike != null && spike.reads(b.type)) {
            if (p.spike == null) {
                p.spike = spike.start();
            } else {
                spike.advance(p.spike, b.timestamp, user, out);
            }
            spike.process(p.spike, b, user, out);
        }
        if (browse != null && browse.reads(b.type)) {
            if (p.browse == null) {
                p.browse = browse.start();
            } else {
                browse.advance(p.browse, b.timestamp, user, out);
            }
            browse.process(p.browse, b, user, out);
        }
    }

    private void forgetIdle(DenseProgress p) {
        if (p.spike != null && spike.isIdle(p.spike)) {
            p.spike = null;
        }
        if (p.browse != null && browse.isIdle(p.browse)) {
            p.browse = null;
        }
    }

    private static long earliest(long a, long b) {
        if (a == NONE) {
            return b;
        }
        return b == NONE ? a : Math.min(a, b);
    }
}
