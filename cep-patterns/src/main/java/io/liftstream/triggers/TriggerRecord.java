package io.liftstream.triggers;

import java.util.Objects;

/**
 * A detected moment, as published on the triggers stream. A Flink POJO.
 *
 * <p>{@link #triggerId} is deterministic (see {@link TriggerIds}), so a replay republishes the same
 * ids and consumers can deduplicate. {@link #eventTime} is when the condition became true;
 * {@link #detectedAt} is the engine's event-time clock (the watermark or event time that completed
 * the pattern) when it was detected: at least {@code eventTime}, and equal to it when the end of a
 * bounded input moved time forward. Both are epoch milliseconds; the JSON form writes ISO-8601.
 */
public class TriggerRecord {
    public String triggerId;
    public String trigger;
    public String userId;
    public long eventTime;
    public long detectedAt;
    /** The messageId of the event the trigger is anchored on (part of the id). */
    public String anchorMessageId;
    public TriggerContext context;

    public TriggerRecord() {}

    public static TriggerRecord of(TriggerType type, String userId, String anchorMessageId, long eventTime,
            long detectionClock, TriggerContext context) {
        TriggerRecord r = new TriggerRecord();
        r.trigger = type.id();
        r.userId = userId;
        r.anchorMessageId = anchorMessageId;
        r.triggerId = TriggerIds.of(userId, type, anchorMessageId);
        r.eventTime = eventTime;
        // At the end of a bounded input the clock jumps to Long.MAX_VALUE: detection happened "as soon
        // as time reached" the event time.
        r.detectedAt = detectionClock == Long.MAX_VALUE ? eventTime : Math.max(eventTime, detectionClock);
        r.context = context;
        return r;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TriggerRecord)) return false;
        TriggerRecord r = (TriggerRecord) o;
        return eventTime == r.eventTime && detectedAt == r.detectedAt && Objects.equals(triggerId, r.triggerId)
                && Objects.equals(trigger, r.trigger) && Objects.equals(userId, r.userId)
                && Objects.equals(anchorMessageId, r.anchorMessageId) && Objects.equals(context, r.context);
    }

    @Override
    public int hashCode() {
        return Objects.hash(triggerId);
    }

    @Override
    public String toString() {
        return trigger + "{user=" + userId + ", at=" + eventTime + ", anchor=" + anchorMessageId + '}';
    }
}
