package io.liftstream.triggers;

/**
 * Emitted by the cart_abandoned CEP pattern: the user's last Product Added was followed by the
 * timeout of silence. {@link CartContextFunction} turns it into a trigger carrying the cart.
 */
public class CartSilence {
    public String userId;
    public String anchorMessageId;
    public long lastAddedAt;
    /** last add + timeout: when the cart became abandoned. */
    public long abandonedAt;
    /** The CEP operator's event-time clock when it emitted the silence. */
    public long detectionClock;

    public CartSilence() {}

    public CartSilence(String userId, String anchorMessageId, long lastAddedAt, long abandonedAt, long detectionClock) {
        this.userId = userId;
        this.anchorMessageId = anchorMessageId;
        this.lastAddedAt = lastAddedAt;
        this.abandonedAt = abandonedAt;
        this.detectionClock = detectionClock;
    }

    @Override
    public String toString() {
        return "CartSilence{" + userId + " lastAdd=" + lastAddedAt + " abandonedAt=" + abandonedAt + '}';
    }
}
