package io.liftstream.jobs.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link ShopSimulator} run produced, as counted by the simulator itself: the shoppers'
 * behaviour (sessions and funnel steps) and what became of the lines (bad, late, good). An immutable
 * snapshot; a run's counts are complete once its lines are exhausted.
 *
 * <p>{@link #lateLines} applies the trigger job's lateness rule with the simulator's late bound: a
 * line parses, and its event time is more than the bound behind the greatest event time of the
 * valid lines before it. {@link #goodLines} is what the job should count as events.
 */
public final class SimulatorStats {
    public final int shoppers;
    public final int powerUsers;
    /** All sessions; {@link #funnelSessions} of them browse (and maybe cart), the rest are cart recoveries. */
    public final long sessions;
    public final long funnelSessions;
    public final long cartingSessions;
    public final long checkoutSessions;
    public final long orderSessions;
    public final long recoverySessions;
    public final long recoveryOrders;
    /** Power-user bursts of at least 20 events within five minutes. */
    public final long bursts;

    /** Simulated events, one per line (a bad line stands in for the event it corrupts). */
    public final long lines;
    public final long badLines;
    public final long malformedLines;
    public final long noIdentityLines;
    public final long badTimestampLines;
    /** Events deliberately delayed past the late bound; {@link #lateLines} of them turned out late. */
    public final long heldBack;
    public final long lateLines;
    public final long goodLines;
    /** Generated events by Segment event name, in first-seen order (bad and late lines included). */
    public final Map<String, Long> eventsByName;
    /** Event-time range of all events, epoch ms (0 when there were none). */
    public final long firstEventTime;
    public final long lastEventTime;

    SimulatorStats(Counts c) {
        this.shoppers = c.shoppers;
        this.powerUsers = c.powerUsers;
        this.sessions = c.sessions;
        this.funnelSessions = c.sessions - c.recoverySessions;
        this.cartingSessions = c.cartingSessions;
        this.checkoutSessions = c.checkoutSessions;
        this.orderSessions = c.orderSessions;
        this.recoverySessions = c.recoverySessions;
        this.recoveryOrders = c.recoveryOrders;
        this.bursts = c.bursts;
        this.lines = c.lines;
        this.malformedLines = c.malformed;
        this.noIdentityLines = c.noIdentity;
        this.badTimestampLines = c.badTimestamp;
        this.badLines = c.malformed + c.noIdentity + c.badTimestamp;
        this.heldBack = c.heldBack;
        this.lateLines = c.late;
        this.goodLines = c.lines - badLines - c.late;
        this.eventsByName = Collections.unmodifiableMap(new LinkedHashMap<>(c.byName));
        this.firstEventTime = c.firstEventTime == Long.MAX_VALUE ? 0 : c.firstEventTime;
        this.lastEventTime = c.lastEventTime == Long.MIN_VALUE ? 0 : c.lastEventTime;
    }

    /** Carting sessions per browsing session. */
    public double addToCartRate() {
        return ratio(cartingSessions, funnelSessions);
    }

    /** Checkouts per carting session. */
    public double checkoutRate() {
        return ratio(checkoutSessions, cartingSessions);
    }

    /** Orders per checkout (carting sessions only). */
    public double orderRate() {
        return ratio(orderSessions, checkoutSessions);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** Mutable counters of a run in progress. */
    static final class Counts {
        int shoppers;
        int powerUsers;
        long sessions;
        long cartingSessions;
        long checkoutSessions;
        long orderSessions;
        long recoverySessions;
        long recoveryOrders;
        long bursts;
        long lines;
        long malformed;
        long noIdentity;
        long badTimestamp;
        long heldBack;
        long late;
        final Map<String, Long> byName = new LinkedHashMap<>();
        long firstEventTime = Long.MAX_VALUE;
        long lastEventTime = Long.MIN_VALUE;
    }
}
