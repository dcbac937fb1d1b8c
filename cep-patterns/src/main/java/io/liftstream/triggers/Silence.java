package io.liftstream.triggers;

/**
 * Emitted by a silence pattern (cart_abandoned, browse_abandoned): the user's last relevant event
 * (the anchor) was followed by the timeout of silence. A {@link SilenceJoinFunction} turns it into a
 * trigger carrying its context (the cart, the browsing run). A Flink POJO.
 */
public class Silence {
    public String userId;
    public String anchorMessageId;
    /** Event time of the anchor (the last add, the last view). */
    public long lastEventAt;
    /** Anchor + timeout: when the silence became an abandonment. */
    public long abandonedAt;
    /** The CEP operator's event-time clock when it emitted the silence. */
    public long detectionClock;

    public Silence() {}

    public Silence(String userId, String anchorMessageId, long lastEventAt, long abandonedAt, long detectionClock) {
        this.userId = userId;
        this.anchorMessageId = anchorMessageId;
        this.lastEventAt = lastEventAt;
        this.abandonedAt = abandonedAt;
        this.detectionClock = detectionClock;
    }

    @Override
    public String toString() {
        return "Silence{" + userId + " last=" + lastEventAt + " abandonedAt=" + abandonedAt + '}';
    }
}
