package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One keyed operator for the triggers that read most of the stream, engagement_spike ({@link
 * EngagementSpikeMachine}) and browse_abandoned ({@link BrowseAbandonedMachine}): it orders each user's
 * events in event time once and feeds them to both state machines, so an event costs one buffered
 * write, one timer and one read-modify-write of the user's progress, however many machines read it.
 *
 * <p>Ordering follows Flink's event-time {@code CepOperator}, so the machines give the same triggers,
 * and the same {@code detected_at}, as the CEP patterns they replace: an event later than the watermark
 * waits in a buffer with a timer at its timestamp; when the watermark passes buffered events, they are
 * fed in time order (ties in arrival order) to the machines that read them, each machine advancing
 * to the event's timestamp first, and then every machine advances to the watermark. The machines' own deadlines (a silence, a window) wake the user through a
 * single outstanding timer ({@link DenseProgress#wakeAt}), moved forward when it fires, not one per
 * event.
 *
 * <p>State per user: the buffered events (at most the out-of-orderness bound's worth: each leaves when
 * the watermark passes it) and {@link DenseProgress}, cleared when both machines are idle (a spike
 * window and a browse timeout after the user's last event at the latest).
 */
public class DenseTriggersFunction extends KeyedProcessFunction<String, ShopperEvent, TriggerRecord> {
    private static final long serialVersionUID = 1L;

    private static final long NONE = OrderedTrigger.NONE;
    private static final Comparator<BufferedEvent> BY_TIME = Comparator.comparingLong(b -> b.timestamp);

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

    private transient ListState<BufferedEvent> buffer;
    private transient ValueState<DenseProgress> progress;

    /** The machines of the enabled dense triggers; at least one must be enabled. */
    public DenseTriggersFunction(TriggerSettings settings) {
        this.spike = settings.isEnabled(TriggerType.ENGAGEMENT_SPIKE) ? new EngagementSpikeMachine(settings) : null;
        this.browse = settings.isEnabled(TriggerType.BROWSE_ABANDONED) ? new BrowseAbandonedMachine(settings) : null;
        if (spike == null && browse == null) {
            throw new IllegalArgumentException("neither engagement_spike nor browse_abandoned is enabled");
        }
    }

    @Override
    public void open(OpenContext openContext) {
        buffer = getRuntimeContext().getListState(new ListStateDescriptor<>("dense-buffer", BufferedEvent.class));
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>("dense-progress", DenseProgress.class));
    }

    @Override
    public void processElement(ShopperEvent event, Context ctx, Collector<TriggerRecord> out) throws Exception {
        // As in CepOperator, an event at or before the watermark is late and ignored. The job routes
        // late events to their own output before keying, so none arrives here.
        if (event.timestamp <= ctx.timerService().currentWatermark()) {
            return;
        }
        if ((spike != null && spike.reads(event.type)) || (browse != null && browse.reads(event.type))) {
            buffer.add(BufferedEvent.of(event));
            ctx.timerService().registerEventTimeTimer(event.timestamp);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TriggerRecord> out) throws Exception {
        long now = ctx.timerService().currentWatermark();
        String user = ctx.getCurrentKey();
        DenseProgress p = progress.value();
        if (p == null) {
            p = new DenseProgress();
        }
        if (timestamp >= p.wakeAt) {
            p.wakeAt = NONE; // this is the wake-up, or an earlier timer of this watermark already was
        }

        List<BufferedEvent> due = new ArrayList<>();
        List<BufferedEvent> later = new ArrayList<>();
        Iterable<BufferedEvent> buffered = buffer.get();
        if (buffered != null) {
            for (BufferedEvent b : buffered) {
                (b.timestamp <= now ? due : later).add(b);
            }
        }
        if (!due.isEmpty()) {
            due.sort(BY_TIME); // stable: ties keep arrival order
            for (BufferedEvent b : due) {
                feed(p, b, user, out);
            }
            if (later.isEmpty()) {
                buffer.clear();
            } else {
                buffer.update(later);
            }
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
            ctx.timerService().registerEventTimeTimer(deadline);
            p.wakeAt = deadline;
        }
        progress.update(p);
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
