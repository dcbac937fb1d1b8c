package io.liftstream.triggers;

/**
 * How the two triggers that read most of the stream, browse_abandoned and engagement_spike, are
 * detected. Both give the same triggers (a randomized equivalence test holds them to it); they differ
 * in cost and in operator uids, so a savepoint taken with one does not restore into the other.
 */
public enum DenseTriggerEngine {
    /**
     * {@link DenseTriggersOperator}: one keyed operator feeding {@link BrowseAbandonedMachine} and
     * {@link EngagementSpikeMachine} each user's events in event-time order.
     */
    KEYED,
    /** The Flink CEP patterns {@link TriggerPatterns#browseAbandoned} and {@link TriggerPatterns#engagementSpike}. */
    CEP
}
