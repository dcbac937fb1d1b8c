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
 * A keyed trigger detector that sees each user's events in event-time order, the way Flink's event-time
 * CEP operator does, for patterns that are cheaper to run as a small state machine than as an NFA.
 *
 * <p>Ordering follows {@code CepOperator} exactly, so a detector gives the same triggers (and the same
 * {@code detected_at}) as the equivalent CEP pattern: an event later than the watermark waits in a
 * buffer, with a timer at its timestamp; when the watermark passes buffered events, they are handled in
 * time order (ties in arrival order), each preceded by {@link #advance} to its timestamp, and then time
 * advances to the watermark. Deadlines of the detector's own (a silence, a window) wake it through one
 * outstanding timer per user ({@link Progress#wakeAt}), moved forward when it fires rather than
 * registered per event.
 *
 * <p>State per user: the buffered events (at most the out-of-orderness bound's worth) and the
 * detector's {@link Progress}, cleared as soon as {@link #isIdle} says nothing is pending.
 *
 * @param <P> the detector's per-user progress, a Flink POJO
 */
public abstract class EventTimeOrderedFunction<P extends EventTimeOrderedFunction.Progress>
        extends KeyedProcessFunction<String, ShopperEvent, TriggerRecord> {
    private static final long serialVersionUID = 1L;

    /** No timer. */
    protected static final long NONE = Long.MIN_VALUE;

    /** Per-user progress of a detector: its state machine plus the wake-up timer it has set. */
    public abstract static class Progress {
        /** The detector's outstanding wake-up timer, or {@link #NONE}. */
        public long wakeAt = NONE;
    }

    private static final Comparator<BufferedEvent> BY_TIME = Comparator.comparingLong(b -> b.timestamp);

    private final String name;
    private final Class<P> progressType;
    private transient ListState<BufferedEvent> buffer;
    private transient ValueState<P> progress;

    /** {@code name} prefixes the state names ({@code <name>-buffer}, {@code <name>-progress}). */
    protected EventTimeOrderedFunction(String name, Class<P> progressType) {
        this.name = name;
        this.progressType = progressType;
    }

    /** A fresh progress for a user with nothing pending. */
    protected abstract P start();

    /** Time has reached {@code now}: fire what came due strictly before events at {@code now} are seen. */
    protected abstract void advance(P progress, long now, String user, Collector<TriggerRecord> out);

    /** The next event of the user, in event-time order, after {@link #advance} to its timestamp. */
    protected abstract void process(P progress, BufferedEvent event, String user, Collector<TriggerRecord> out);

    /** The next instant at which {@link #advance} would change something, or {@link #NONE}. */
    protected abstract long nextDeadline(P progress);

    /** Whether the progress holds nothing worth keeping. */
    protected abstract boolean isIdle(P progress);

    @Override
    public void open(OpenContext openContext) {
        buffer = getRuntimeContext().getListState(new ListStateDescriptor<>(name + "-buffer", BufferedEvent.class));
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>(name + "-progress", progressType));
    }

    @Override
    public void processElement(ShopperEvent event, Context ctx, Collector<TriggerRecord> out) throws Exception {
        // As in CepOperator: an event at or before the watermark is late. The job routes late events
        // away before keying, so none should arrive here; one that does is ignored, as CEP drops it.
        if (event.timestamp <= ctx.timerService().currentWatermark()) {
            return;
        }
        buffer.add(BufferedEvent.of(event));
        ctx.timerService().registerEventTimeTimer(event.timestamp);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TriggerRecord> out) throws Exception {
        long now = ctx.timerService().currentWatermark();
        String user = ctx.getCurrentKey();
        P p = progress.value();
        if (p == null) {
            p = start();
        }
        if (timestamp >= p.wakeAt) {
            p.wakeAt = NONE; // this is (or an earlier call in this watermark already was) the wake-up
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
                advance(p, b.timestamp, user, out);
                process(p, b, user, out);
            }
            if (later.isEmpty()) {
                buffer.clear();
            } else {
                buffer.update(later);
            }
        }
        advance(p, now, user, out);

        if (isIdle(p)) {
            progress.clear();
            return;
        }
        long deadline = nextDeadline(p);
        if (deadline != NONE && (p.wakeAt == NONE || deadline < p.wakeAt)) {
            ctx.timerService().registerEventTimeTimer(deadline);
            p.wakeAt = deadline;
        }
        progress.update(p);
    }
}
