package io.liftstream.triggers;

import io.liftstream.events.EventType;

import org.apache.flink.util.Collector;

import java.io.Serializable;

/**
 * A trigger written as a state machine over one user's events in event-time order, the order in which
 * Flink's event-time CEP operator feeds its NFA. {@link KeyedTriggersOperator} buffers, orders and
 * feeds the events and keeps the progress in keyed state; the machine itself holds no Flink state, so
 * it is tested directly.
 *
 * <p>The driver's contract, as in {@code CepOperator}: for each event in time order (ties in arrival
 * order), {@link #advance} to the event's timestamp, then {@link #process} it; after the events the
 * watermark made final, {@link #advance} to the watermark. Deadlines are instants at which
 * {@link #advance} has something to do; an event at exactly a deadline is processed after it.
 *
 * @param <P> the per-user progress, a mutable Flink POJO
 */
public interface OrderedTrigger<P> extends Serializable {
    /** Whether events of this type are fed to {@link #process}. */
    boolean reads(EventType type);

    /** A fresh progress for a user with nothing pending. */
    P start();

    /** Time has reached {@code now}: emit what came due. */
    void advance(P progress, long now, String user, Collector<TriggerRecord> out);

    /** The user's next event in event-time order, after {@link #advance} to its timestamp. */
    void process(P progress, BufferedEvent event, String user, Collector<TriggerRecord> out);

    /** The next instant at which {@link #advance} would change something, or {@link #NONE}. */
    long nextDeadline(P progress);

    /** Whether the progress holds nothing worth keeping. */
    boolean isIdle(P progress);

    /** No instant (no deadline, no time recorded). */
    long NONE = Long.MIN_VALUE;
}
