package io.liftstream.triggers;

/**
 * An event waiting in {@link KeyedTriggersOperator}'s heap buffer for the watermark to pass it: the
 * user it belongs to, the buffered event, and its arrival number (which orders events with equal
 * timestamps). Written to operator state only at checkpoints. A Flink POJO.
 */
public class PendingEvent {
    public String user;
    public long arrival;
    public BufferedEvent event;

    public PendingEvent() {}

    PendingEvent(String user, long arrival, BufferedEvent event) {
        this.user = user;
        this.arrival = arrival;
        this.event = event;
    }
}
