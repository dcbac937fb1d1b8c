package io.liftstream.triggers;

/**
 * How the triggers are detected. Both engines give the same triggers, field by field (a randomized
 * equivalence test holds them to it); they differ in cost and in operator uids, so a savepoint taken
 * with one does not restore into the other.
 */
public enum TriggerEngine {
    /**
     * {@link KeyedTriggersOperator}: one keyed operator feeding each user's events, in the order Flink's
     * event-time CEP operator would, to a state machine per trigger ({@link CartAbandonedMachine},
     * {@link CheckoutAbandonedMachine}, {@link BrowseAbandonedMachine}, {@link EngagementSpikeMachine}).
     */
    KEYED,
    /** The Flink CEP patterns of {@link TriggerPatterns}, with their context joins. */
    CEP
}
