package io.liftstream.triggers;

import io.liftstream.events.EventType;

import org.apache.flink.util.Collector;

/**
 * engagement_spike as a state machine ({@link OrderedTrigger}): the same triggers as {@link
 * TriggerPatterns#engagementSpike} followed by {@link SpikeCooldownFunction}, at a fraction of the cost
 * (DESIGN.md, BENCHMARKS.md).
 *
 * <p>In each user's event-time order: keep the times of the events since the last spike; when time
 * reaches {@code t}, forget those at or before {@code t - window} (CEP's {@code within}: the first and
 * the last strictly less than a window apart); the event that makes {@code count} completes a spike
 * anchored on itself, at its own time, and counting starts afresh (CEP's skip past the last event). A
 * spike less than a window after the user's previous emitted spike is dropped (the cooldown).
 *
 * <p>Progress: at most {@code count} event times and the last spike's time; idle once the window has
 * passed them all.
 */
public final class EngagementSpikeMachine implements OrderedTrigger<EngagementSpikeMachine.SpikeProgress> {
    private static final long serialVersionUID = 1L;

    /** Per-user progress. A Flink POJO. */
    public static class SpikeProgress {
        /** Times of the events counted towards the next spike, oldest first; {@link #size} are in use. */
        public long[] times;
        public int size;
        /** Time of the last emitted spike, or {@link OrderedTrigger#NONE}. */
        public long lastSpikeAt = NONE;

        public SpikeProgress() {}
    }

    private final int count;
    private final long windowMillis;

    public EngagementSpikeMachine(TriggerSettings settings) {
        this.count = settings.spikeCount;
        this.windowMillis = settings.spikeWindow.toMillis();
    }

    @Override
    public boolean reads(EventType type) {
        return true; // every event counts as activity
    }

    @Override
    public SpikeProgress start() {
        SpikeProgress p = new SpikeProgress();
        p.times = new long[count];
        return p;
    }

    @Override
    public void advance(SpikeProgress p, long now, String user, Collector<TriggerRecord> out) {
        int expired = 0;
        while (expired < p.size && now - p.times[expired] >= windowMillis) {
            expired++;
        }
        if (expired > 0) {
            System.arraycopy(p.times, expired, p.times, 0, p.size - expired);
            p.size -= expired;
        }
        if (p.lastSpikeAt != NONE && now - p.lastSpikeAt >= windowMillis) {
            p.lastSpikeAt = NONE; // no later event can fall inside its cooldown
        }
    }

    @Override
    public void process(SpikeProgress p, BufferedEvent event, String user, Collector<TriggerRecord> out) {
        p.times[p.size++] = event.timestamp;
        if (p.size < count) {
            return;
        }
        long windowStart = p.times[0];
        p.size = 0;
        if (p.lastSpikeAt != NONE && event.timestamp - p.lastSpikeAt < windowMillis) {
            return;
        }
        p.lastSpikeAt = event.timestamp;
        TriggerContext context = new TriggerContext();
        context.eventCount = count;
        context.windowStart = windowStart;
        context.windowEnd = event.timestamp;
        out.collect(TriggerRecord.of(TriggerType.ENGAGEMENT_SPIKE, user, event.messageId, event.timestamp,
                event.timestamp, context));
    }

    @Override
    public long nextDeadline(SpikeProgress p) {
        long newest = p.size > 0 ? p.times[p.size - 1] : NONE;
        long last = Math.max(newest, p.lastSpikeAt);
        return last == NONE ? NONE : last + windowMillis;
    }

    @Override
    public boolean isIdle(SpikeProgress p) {
        return p.size == 0 && p.lastSpikeAt == NONE;
    }
}
