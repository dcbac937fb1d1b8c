package io.liftstream.jobs.io;

import java.io.Serializable;

/** Kafka connection and topic names for the trigger job. Defaults match the README. */
public final class KafkaSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public String bootstrapServers;
    public String inputTopic = "liftstream.events";
    public String triggersTopic = "liftstream.triggers";
    public String deadLetterTopic = "liftstream.dead-letters";
    public String lateTopic = "liftstream.late-events";
    public String groupId = "liftstream-triggers";
    /** earliest | latest | committed (committed offsets, else earliest). */
    public String startingOffsets = "committed";
    /** Stop at the offsets that are latest when the job starts (a bounded replay of a topic). */
    public boolean bounded;
    /**
     * Prefix of the transactional ids of the exactly-once sinks (one per output: {@code <prefix>-triggers},
     * {@code -dead-letters}, {@code -late}). Two jobs writing to one cluster need different prefixes.
     */
    public String transactionalIdPrefix = "liftstream-triggers";
}
