package io.liftstream.triggers;

/**
 * Emitted by the browse_abandoned CEP pattern: a Product Viewed was followed by the timeout with no
 * view, add or order, so it is the last view of a browsing run. {@link BrowseAbandonedFunction}
 * turns it into a trigger when the run has enough views.
 */
public class BrowseSilence {
    public String userId;
    public String anchorMessageId;
    public long lastViewedAt;
    /** last view + timeout: when the browsing run became abandoned. */
    public long abandonedAt;
    /** The CEP operator's event-time clock when it emitted the silence. */
    public long detectionClock;

    public BrowseSilence() {}

    public BrowseSilence(String userId, String anchorMessageId, long lastViewedAt, long abandonedAt, long detectionClock) {
        this.userId = userId;
        this.anchorMessageId = anchorMessageId;
        this.lastViewedAt = lastViewedAt;
        this.abandonedAt = abandonedAt;
        this.detectionClock = detectionClock;
    }

    @Override
    public String toString() {
        return "BrowseSilence{" + userId + " lastView=" + lastViewedAt + " abandonedAt=" + abandonedAt + '}';
    }
}
